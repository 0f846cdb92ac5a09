package dev.sluice;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.exec.WarehouseLock;
import dev.sluice.project.Project;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a project's warehouse for the API's reading calls: never created, and a writer's lock named. */
final class ReadOnlyWarehouse {
    private ReadOnlyWarehouse() {
    }

    /** The warehouse read-only, confined to the project's folders; {@code forQueries} also locks its settings. */
    static Engine open(Project project, Path root, boolean forQueries) {
        if (!Files.exists(project.warehouse())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read warehouse %s: it does not exist yet; run the "
                    + "pipeline first (sluice run %s)", project.warehouse(), root);
        }
        try {
            return Engines.open(project, forQueries ? EngineOptions.forQueries(project.warehouse(),
                    project.readableRoots()) : EngineOptions.readOnly(project.warehouse(), project.readableRoots()));
        } catch (SluiceException e) {
            if (e.code() == ErrorCode.WAREHOUSE_LOCKED) {
                String holder = WarehouseLock.holder(project.warehouse());
                throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, e, "Cannot read warehouse %s: a run is writing "
                        + "it (%s); retry when it has finished", project.warehouse(),
                        holder == null ? "holder unknown" : holder);
            }
            throw e;
        }
    }
}
