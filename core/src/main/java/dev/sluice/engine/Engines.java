package dev.sluice.engine;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.EngineTraits;
import dev.sluice.project.Project;
import java.util.ServiceLoader;

/** The engine factories on the class path, found through {@link ServiceLoader} by name. */
public final class Engines {
    private Engines() {
    }

    /**
     * The factory named {@code name} ({@code engine:} of sluice.yml).
     *
     * @throws SluiceException {@link ErrorCode#PROJECT_INVALID} listing the known engines when none has that name
     */
    public static EngineFactory factory(String name) {
        for (EngineFactory factory : ServiceLoader.load(EngineFactory.class, EngineFactory.class.getClassLoader())) {
            if (factory.name().equals(name)) {
                return factory;
            }
        }
        throw new SluiceException(ErrorCode.PROJECT_INVALID, "Cannot open engine '%s': no engine of that name is on the "
                + "class path (known: %s); set engine: in sluice.yml to one of them", name,
                String.join(", ", EngineTraits.known()));
    }

    /** The factory of the engine {@code project} chose. */
    public static EngineFactory of(Project project) {
        return factory(project.engine());
    }

    /**
     * Opens the engine {@code project} chose, as {@code options} say; a warehouse this process hosts
     * ({@link HostedEngines}) is lent instead.
     */
    public static Engine open(Project project, EngineOptions options) {
        // Inside sluice serve the warehouse is open already, and DuckDB refuses this process a second instance of it.
        return HostedEngines.borrow(options.warehouse()).orElseGet(() -> of(project).open(
                options.withSettings(project.engineSettings())));
    }

    /** The project's warehouse opened read-only, confined to the project's folders. */
    public static Engine openReadOnly(Project project) {
        return open(project, EngineOptions.readOnly(project.warehouse(), project.readableRoots()));
    }

    /**
     * The project's warehouse opened for reading and writing with the project's memory limit, confined to the
     * project's folders: how runs, tests, state resets and storage commands open it.
     */
    public static Engine openReadWrite(Project project) {
        return open(project, EngineOptions.readWrite(project.warehouse(), 0, project.defaults().memoryLimit(),
                project.readableRoots()));
    }
}
