package dev.sluice;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.catalog.ScheduleRunRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.exec.WarehouseLock;
import dev.sluice.project.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads and writes what the schedules did ({@code sluice.schedule_runs}) for {@link Sluice}. */
final class ScheduleRecords {
    private final Project project;
    private final Path root;

    ScheduleRecords(Project project, Path root) {
        this.project = project;
        this.root = root;
    }

    /** Reads the catalog; a warehouse never built, or one without a catalog, holds no schedule runs. */
    List<ScheduleRun> read(Function<Catalog, List<ScheduleRunRecord>> query) {
        if (!Files.exists(project.warehouse())) {
            return List.of();
        }
        try (Engine engine = ReadOnlyWarehouse.open(project, root, false)) {
            return Catalogs.openIfPresent(project, engine).map(query).orElse(List.of()).stream().map(ScheduleRecords::value)
                    .toList();
        }
    }

    /** Records due times that started no run, under the warehouse lock (fails at once if another holds it). */
    void write(List<ScheduleRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        try (WarehouseLock lock = WarehouseLock.acquire(project, "schedule");
                Engine engine = Engines.openReadWrite(project)) {
            Catalog catalog = Catalogs.open(project, engine);
            lock.recordTakeover(catalog, "schedule");
            for (ScheduleRun run : runs) {
                catalog.schedules().record(new ScheduleRunRecord(run.schedule(),
                        LocalDateTime.ofInstant(run.due(), ZoneOffset.UTC), run.status().name().toLowerCase(Locale.ROOT),
                        run.runId(), null, run.reason() == null ? null : project.redact(run.reason())));
            }
        }
    }

    private static ScheduleRun value(ScheduleRunRecord r) {
        return new ScheduleRun(r.schedule(), r.dueAt().toInstant(ZoneOffset.UTC),
                ScheduleRun.Status.valueOf(r.status().toUpperCase(Locale.ROOT)), r.runId(), r.runStatus(), r.reason());
    }
}
