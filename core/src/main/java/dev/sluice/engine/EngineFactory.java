package dev.sluice.engine;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.EngineTraits;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * A new model oracle: the engine's binder over an empty in-memory database that may read {@code readableRoots}.
     * Only the engine whose SQL the models are written in (the default, DuckDB) need offer one: planning asks that
     * engine's factory whatever engine runs the models. Others refuse.
     */
    default ModelOracle modelOracle(List<Path> readableRoots) {
        throw new SluiceException(ErrorCode.USAGE, "Cannot check models with engine %s: it offers no model oracle; "
                + "plan with the default engine %s, whose SQL models are written in", name(), EngineTraits.DEFAULT);
    }
}
