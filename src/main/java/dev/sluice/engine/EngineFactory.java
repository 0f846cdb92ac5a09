package dev.sluice.engine;

import dev.sluice.project.EngineTraits;

/**
 * Opens engines of one kind: the service an engine plugs in by, found through {@link java.util.ServiceLoader} under
 * both this interface and {@link EngineTraits} in {@code META-INF/services} (see ARCHITECTURE.md, "Engines").
 * Implementations are stateless and have a public no-argument constructor.
 */
public interface EngineFactory extends EngineTraits {

    /** Opens an engine as {@code options} say; fails with a located {@link dev.sluice.SluiceException}. */
    Engine open(EngineOptions options);

    /** How this engine writes what Sluice needs done (the same object every engine of this factory returns). */
    Dialect dialect();
}
