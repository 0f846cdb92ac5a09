package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.SluiceException;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Engine;
import dev.sluice.project.CatalogSpec;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each store's writes read back through its own reads (the pipeline ITs cover how the stores are used), on both
 * kinds of catalog: in the warehouse and in PostgreSQL.
 */
@ParameterizedClass
@EnumSource(CatalogSpec.Kind.class)
class CatalogStoresTest {
    @Parameter
    CatalogSpec.Kind kind;
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);

    @TempDir
    Path dir;
    private Engine engine;
    private Session session;
    private Catalog catalog;

    @BeforeEach
    void open() {
        engine = CatalogTarget.of(kind, dir).open();
        session = engine.session();
        catalog = Catalog.open(engine);
    }

    @AfterEach
    void close() {
        session.close();
        engine.close();
    }

    @Test
    void runStoreKeepsTakeoversStartsWarningsAndBytes() {
        RunStore runs = catalog.runs();
        long run = runs.startRun("run", "", "DuckDB v1", "0.1.0", "host", 7);
        runs.recordLockTakeover("run", "pid 3 on host", "host", 7, List.of(1L, 2L));
        runs.recordModelRun(session, new ModelRunRecord(run, "main.a", "main.a", "table", "success", 3L, null,
                T0, 5, "hash", "new model", null));
        runs.recordModelWarning(run, "main.a", "could not compact");
        runs.recordModelStorage(session, run, "main.a", 12, 3, 4096L);

        assertThat(runs.startedAt(session, run)).isEqualTo(runs.lastRun("run").orElseThrow().startedAt());
        assertThat(session.query("SELECT command, previous_holder, runs_closed FROM sluice.lock_takeovers").values())
                .containsExactly(List.of("run", "pid 3 on host", List.of(1L, 2L)));
        assertThat(session.query("SELECT warning, bytes, statistics_ms, layout_ms FROM sluice.model_runs").values())
                .containsExactly(List.of("could not compact", 4096L, 12L, 3L));
        // bytes unknown (a table still in the write-ahead log): the costs change, the bytes recorded stay
        runs.recordModelStorage(session, run, "main.a", 20, 5, null);
        assertThat(session.query("SELECT bytes, statistics_ms, layout_ms FROM sluice.model_runs").values())
                .containsExactly(List.of(4096L, 20L, 5L));
        assertThat(runs.lastModelRuns()).extracting(ModelRunRecord::model, ModelRunRecord::bytes)
                .containsExactly(tuple("main.a", 4096L));
        assertThat(runs.lastBuild("main.a")).contains(run);
        assertThat(runs.lastBuild("main.b")).isEmpty();
    }

    @Test
    void qualityStoreKeepsResultsAndMetricsOfTheLatestRuns() {
        QualityStore quality = catalog.quality();
        for (long run = 1; run <= 2; run++) {
            quality.recordQualityResults(session, List.of(new QualityResultRecord(run, "main.a", "not_null(id)",
                    "not_null", "error", 10, run - 1, (run - 1) / 10.0, "{}", run == 1 ? "pass" : "fail", "", null, 3,
                    T0)));
            quality.recordMetrics(session, List.of(new MetricRecord(run, "main.a", null, "row_count", 10.0 * run)));
        }

        assertThat(quality.metricHistory("main.a", null, "row_count", 5)).containsExactly(20.0, 10.0);
        assertThat(quality.qualityResults("main.a", null, 1)).extracting(QualityResultRecord::verdict)
                .containsExactly("fail");
        assertThat(quality.qualityResults(null, "not_null(id)", 10)).extracting(QualityResultRecord::runId)
                .containsExactly(1L, 2L);
        assertThat(quality.lastQualityResults()).extracting(QualityResultRecord::runId).containsExactly(2L);
        assertThat(quality.metrics(null, 10)).extracting(MetricRecord::value).containsExactly(10.0, 20.0);
    }

    @Test
    void sourceStateStoreKeepsManifestsDetectionsWatermarksAndCheckpoints() {
        SourceStateStore state = catalog.state();
        ManifestRecord b = new ManifestRecord("raw.f", "b.csv", 20, T0.plusNanos(123_456_000), "h2", 3, 2);
        // before 1970, to the microsecond: the manifest's times read back exactly
        ManifestRecord c = new ManifestRecord("raw.f", "c.csv", 30, LocalDateTime.of(1969, 12, 31, 23, 59, 59,
                999_999_000), null, 4, 1);
        state.recordManifest(session, List.of(new ManifestRecord("raw.f", "a.csv", 10, T0, "h1", 2, 1), b, c));
        state.forgetManifest(session, "raw.f", List.of("a.csv"));
        state.recordDetection(session, new DetectionRecord(1, "raw.t", 0, 0, 0, 0, 5, 0, 0, "5", "10", 1, ""));
        state.recordDetection(session, new DetectionRecord(2, "raw.t", 0, 0, 0, 0, 2, 1, 0, "10", "12", 1, ""));
        state.recordDetection(session, new DetectionRecord(3, "raw.f", 1, 0, 0, 1, 0, 0, 3, null, null, 1, ""));
        state.recordWatermark(session, "raw.t", "12", 2);
        state.recordSourceLoad(session, new SourceLoadRecord(3, "raw.f", "success", 3, 1, 4, null));
        state.recordRejects(session, 3, "raw.f", new Rows(List.of("file", "line", "column", "type", "message",
                "csv"), List.of(Arrays.asList("b.csv", 4L, "id", "CAST", "bad id", "x,y"))));
        state.recordCheckpoint(session, "main.inc", "raw.t", 2, 2);

        assertThat(state.manifest("raw.f")).isEqualTo(Map.of("b.csv", b, "c.csv", c));
        assertThat(state.manifestFiles("raw.f", 1, 2)).extracting(ManifestRecord::path).containsExactly("b.csv");
        assertThat(state.manifestFiles("raw.f", 2, 3)).isEmpty();
        assertThat(state.watermarkRange("raw.t", 0, 2)).contains(List.of("5", "12"));
        assertThat(state.watermarkRange("raw.t", 2, 3)).isEmpty();
        assertThat(state.rowsChangedSince("raw.t", 1)).isTrue();
        assertThat(state.rowsChangedSince("raw.t", 2)).isFalse();
        assertThat(state.rowsRetractedSince("raw.f", 2)).isTrue();
        assertThat(state.lastLoad("raw.t")).isEqualTo(2);
        assertThat(state.lastLoad("raw.none")).isZero();
        assertThat(state.watermark("raw.t")).contains("12");
        assertThat(session.query("SELECT source, rejected FROM sluice.source_loads").values())
                .containsExactly(List.of("raw.f", 1L));
        assertThat(session.query("SELECT file, error_message FROM sluice.rejects").values())
                .containsExactly(List.of("b.csv", "bad id"));
        assertThat(state.manifestSummary().values()).extracting(row -> row.get(0)).containsExactly("raw.f");
        assertThat(state.recentDetections(2).values()).extracting(row -> row.get(0)).containsExactly(3L, 2L);
        assertThat(state.checkpoints("main.inc")).isEqualTo(Map.of("raw.t", 2L));
        // a checkpoint the model has moves in place, with the run that moved it
        state.moveCheckpoint(session, "main.inc", "raw.t", 3, 4);
        assertThat(state.checkpoints("main.inc")).isEqualTo(Map.of("raw.t", 3L));
        assertThat(session.query("SELECT run_id FROM sluice.checkpoints WHERE model = 'main.inc'").singleLong())
                .isEqualTo(4);
        assertThat(state.checkpointRows(null).values()).hasSize(1);
        assertThat(state.resetCheckpoints("main.inc")).isEqualTo(1);
        assertThat(state.checkpoints("main.inc")).isEmpty();

        state.forgetSource(session, "raw.t");
        state.forgetSource(session, "raw.f");
        assertThat(state.watermark("raw.t")).isEmpty();
        assertThat(state.manifest("raw.f")).isEmpty();
    }

    @Test
    void sourceStateStoreKeepsStreamOffsetsPerTopicAndPartitionUntilTheSourceIsForgotten() {
        SourceStateStore state = catalog.state();
        assertThat(state.streamOffsets("raw.clicks", "clicks")).isEmpty();
        state.recordStreamOffsets(session, "raw.clicks", "clicks", Map.of(0, 10L, 1, 4L), 1);
        state.recordStreamOffsets(session, "raw.clicks", "clicks", Map.of(1, 9L), 2);
        state.recordStreamOffsets(session, "raw.clicks", "other", Map.of(0, 3L), 2);
        assertThat(state.streamOffsets("raw.clicks", "clicks")).isEqualTo(Map.of(0, 10L, 1, 9L));
        assertThat(state.streamOffsets("raw.clicks", "other")).isEqualTo(Map.of(0, 3L));
        state.forgetSource(session, "raw.clicks");
        assertThat(state.streamOffsets("raw.clicks", "clicks")).isEmpty();
    }

    @Test
    void lineageStoreKeepsColumnsExpressionsAndRuns() {
        LineageStore lineage = catalog.lineage();
        lineage.recordLineage(session, 1, List.of(Arrays.asList("main.a", "id", "raw.t", "id", "direct", "identity",
                "id", false)));
        lineage.recordExpressions(session, 1, List.of(List.of("main.a", "id", "digest")));
        lineage.recordRunLineage(session, 1, "main.a", "success", "[]", 3L, "hash", "SELECT 1", "{}", "DuckDB v1",
                "{}");

        assertThat(lineage.lineageAt(1).values())
                .containsExactly(List.of("main.a.id", "raw.t.id", "direct", "identity", false, "id"));
        assertThat(lineage.lineageAt(2).values()).isEmpty();
        assertThat(lineage.expressionsAt("main.a", 1)).isEqualTo(Map.of("id", "digest"));
        assertThat(session.query("SELECT model, rows, engine_version FROM sluice.lineage_runs").values())
                .containsExactly(List.of("main.a", 3L, "DuckDB v1"));
    }

    @Test
    void windowStoreKeepsIntervalsLateRowsAndArrivals() {
        WindowStore windows = catalog.windows();
        windows.replaceIntervals(session, "main.w", List.of(), List.of(
                new IntervalRecord("main.w", T0, T0.plusHours(1), 1, "hour", "complete", 1, 5, T0),
                new IntervalRecord("main.w", T0.plusHours(1), T0.plusHours(2), 1, "hour", "open", 1, 2, null)));
        windows.replaceIntervals(session, "main.w", List.of(T0.plusHours(1)), List.of());
        windows.recordLateRows(session, List.of(new LateRowsRecord(2, "main.w", "raw.e", T0, T0.plusHours(1), 2,
                "reprocessed", 3, 60, null)));
        LateRowsRecord moved = new LateRowsRecord(3, "main.v", "raw.e", T0, T0.plusHours(1), 3, "reassigned", 1, 90,
                T0.plusHours(4));
        windows.recordLateRows(session, List.of(moved));
        // only what a build leaves out (not rows rebuilt or reprocessed with their interval), of that model
        assertThat(windows.buildRecords("main.v", List.of(), List.of()).setAside()).containsExactly(moved);
        assertThat(windows.buildRecords("main.w", List.of(), List.of()).setAside()).isEmpty();
        windows.recordWindowRun(session, new WindowRunRecord(2, "main.w", 1, 1, 5, 5, 0, 3, 0, 0, 0, T0, ""));
        windows.recordArrivalLateness(session, new ArrivalLatenessRecord(2, "raw.e", "ts", "event", 10, 3, 1.0, 2.0,
                3.0, 4.0, "{}", T0.plusHours(1)));

        assertThat(windows.buildRecords("main.w", List.of(), List.of()).intervalsOf("main.w"))
                .extracting(IntervalRecord::start).containsExactly(T0);
        assertThat(windows.intervalRanges().values()).hasSize(1);
        assertThat(windows.lateRowSummary().values()).filteredOn(row -> row.get(0).equals("main.w"))
                .singleElement().satisfies(row -> {
            assertThat(row.subList(0, 4)).containsExactly("main.w", "raw.e", "reprocessed", 1L);
            assertThat(((Number) row.get(4)).longValue()).isEqualTo(3);
            assertThat(row.get(5)).isEqualTo(2L);
        });
        assertThat(session.query("SELECT late_reprocessed FROM sluice.window_runs").singleLong()).isEqualTo(3);
        assertThat(windows.measuredArrivals(session, "raw.e", "ts", "event")).containsExactly(2L);
        assertThat(windows.measuredArrivals(session, "raw.e", "ts", "processing")).isEmpty();
        assertThat(windows.arrivalLateness("raw.e", "ts", "event")).extracting(ArrivalLatenessRecord::p95)
                .containsExactly(2.0);
        assertThat(windows.eventFrontier(session, "raw.e", "ts", 3)).contains(T0.plusHours(1));
        assertThat(windows.eventFrontier(session, "raw.e", "ts", 2)).isEmpty();

        windows.forgetIntervals(session, "main.w");
        assertThat(windows.buildRecords("main.w", List.of(), List.of()).intervalsOf("main.w")).isEmpty();
    }

    @Test
    void windowStoreWritesIntervalsAndLateRowsInTheSessionsTransaction() {
        WindowStore windows = catalog.windows();
        List<IntervalRecord> intervals = List.of(
                new IntervalRecord("main.w", T0, T0.plusHours(1), 1, "1 hour", "processed", 1, 5, T0),
                new IntervalRecord("main.w", T0.plusHours(1), T0.plusHours(2), 1, "1 hour", "processed", 1, 0, null));
        List<LateRowsRecord> late = List.of(new LateRowsRecord(2, "main.w", "raw.e", T0, T0.plusHours(1), 2,
                "reassigned", 3, 60.5, T0.plusHours(2)));
        WindowRunRecord run = new WindowRunRecord(2, "main.w", 2, 0, 5, 0, 0, 0, 0, 0, 1, T0.plusHours(2), "built");
        ArrivalLatenessRecord arrival = new ArrivalLatenessRecord(2, "raw.e", "ts", "event", 10, 3, 1.0, 2.0, 3.0,
                4.0, "{\"60\": 3}", T0.plusHours(1));
        session.begin();
        windows.replaceIntervals(session, "main.w", List.of(), intervals);
        windows.recordLateRows(session, late);
        windows.recordWindowRun(session, run);
        windows.recordNewArrivals(session, List.of(arrival));
        session.rollback();
        assertThat(session.query("SELECT count(*) FROM sluice.intervals").singleLong()).isZero();
        assertThat(session.query("SELECT count(*) FROM sluice.late_rows").singleLong()).isZero();
        assertThat(session.query("SELECT count(*) FROM sluice.window_runs").singleLong()).isZero();
        assertThat(session.query("SELECT count(*) FROM sluice.arrival_lateness").singleLong()).isZero();

        session.begin();
        windows.replaceIntervals(session, "main.w", List.of(), intervals);
        windows.recordLateRows(session, late);
        windows.recordLateRows(session, List.of());
        windows.recordWindowRun(session, run);
        windows.recordNewArrivals(session, List.of(arrival));
        windows.recordNewArrivals(session, List.of());
        session.commit();
        assertThat(session.query("SELECT * FROM sluice.window_runs").values()).containsExactly(List.of(2L, "main.w",
                2L, 0L, 5L, 0L, 0L, 0L, 0L, 0L, 1L, T0.plusHours(2), "built"));
        assertThat(windows.arrivalLateness("raw.e", "ts", "event")).containsExactly(arrival);
        // a load recorded twice is a bug of the caller, not ignored
        assertThatThrownBy(() -> windows.recordNewArrivals(session, List.of(arrival)))
                .isInstanceOf(SluiceException.class).hasMessageContaining("uplicate key");
        assertThat(windows.buildRecords("main.w", List.of(), List.of()).intervalsOf("main.w")).isEqualTo(intervals);
        assertThat(session.query("SELECT run_id, model, source, interval_start, interval_end, arrival_run, "
                + "disposition, rows, lateness_seconds, assigned_to FROM sluice.late_rows").values())
                .containsExactly(Arrays.asList(2L, "main.w", "raw.e", T0, T0.plusHours(1), 2L, "reassigned", 3L, 60.5,
                        T0.plusHours(2)));
    }

    @Test
    void windowStoreReadsWhatABuildNeedsInOneQuery() {
        WindowStore windows = catalog.windows();
        SourceStateStore state = catalog.state();
        windows.replaceIntervals(session, "main.w", List.of(), List.of(
                new IntervalRecord("main.w", T0.plusHours(1), T0.plusHours(2), 1, "1 hour", "processed", 3, 2, null),
                new IntervalRecord("main.w", T0, T0.plusHours(1), 1, "1 hour", "processed", 2, 5, T0)));
        windows.replaceIntervals(session, "main.up", List.of(), List.of(
                new IntervalRecord("main.up", T0, T0.plusDays(1), 24, "1 hour", "reprocessed", 3, 9, T0)));
        windows.replaceIntervals(session, "main.other", List.of(), List.of(
                new IntervalRecord("main.other", T0, T0.plusDays(1), 24, "1 hour", "processed", 3, 9, T0)));
        state.recordCheckpoint(session, "main.w", "raw.e", 2, 2);
        state.recordCheckpoint(session, "main.w", "raw.f", 3, 3);
        state.recordCheckpoint(session, "main.x", "raw.e", 0, 3);
        // raw.e: a modified file after the checkpoint (run 3); raw.f: retracted rows, but before its checkpoint
        state.recordDetection(session, new DetectionRecord(3, "raw.e", 1, 0, 1, 0, 4, 0, 0, null, null, 1, ""));
        state.recordDetection(session, new DetectionRecord(3, "raw.f", 1, 0, 0, 1, 0, 0, 3, null, null, 1, ""));
        RunStore runs = catalog.runs();
        runs.recordModelRun(session, new ModelRunRecord(2, "main.w", "main.w", "incremental", "success", 3L, null,
                T0, 5, "old", "new model", null));
        runs.recordModelRun(session, new ModelRunRecord(3, "main.w", "main.w", "incremental", "up_to_date", 3L, null,
                T0, 5, "hash", "up to date", null));
        runs.recordModelRun(session, new ModelRunRecord(4, "main.w", "main.w", "table", "failed", 3L, null,
                T0, 5, "new", "failed", null));
        windows.recordArrivalLateness(session, new ArrivalLatenessRecord(2, "raw.e", "ts", "event", 10, 3, 1.0, 2.0,
                3.0, 4.0, "{}", T0.plusHours(1)));
        windows.recordArrivalLateness(session, new ArrivalLatenessRecord(3, "raw.e", "ts", "processing", 10, 3, 1.0,
                2.0, 3.0, 4.0, "{}", T0.plusHours(3)));
        windows.recordArrivalLateness(session, new ArrivalLatenessRecord(3, "raw.f", "ts", "event", 0, 0, null, null,
                null, null, "{}", null));
        LateRowsRecord dropped = new LateRowsRecord(3, "main.w", "raw.e", T0.plusHours(1), T0.plusHours(2), 3,
                "dropped", 2, 7200, null);
        LateRowsRecord quarantined = new LateRowsRecord(2, "main.w", "raw.e", T0, T0.plusHours(1), 2, "quarantined",
                1, 3600.5, null);
        windows.recordLateRows(session, List.of(dropped, quarantined, new LateRowsRecord(3, "main.w", "raw.e", T0,
                T0.plusHours(1), 3, "rebuilt", 4, 60, null), new LateRowsRecord(3, "main.other", "raw.e", T0,
                T0.plusHours(1), 3, "dropped", 4, 60, null)));

        WindowBuildRecords records = windows.buildRecords("main.w", List.of("main.up"), List.of("raw.e", "raw.f"));
        assertThat(records.intervalsOf("main.w")).extracting(IntervalRecord::start)
                .containsExactly(T0, T0.plusHours(1));
        assertThat(records.intervalsOf("main.up")).singleElement().satisfies(r -> {
            assertThat(r.intervals()).isEqualTo(24);
            assertThat(r.state()).isEqualTo("reprocessed");
            assertThat(r.rows()).isEqualTo(9);
        });
        assertThat(records.intervals()).doesNotContainKey("main.other");
        assertThat(records.checkpoints()).isEqualTo(Map.of("raw.e", 2L, "raw.f", 3L));
        assertThat(records.lastSqlHash()).isEqualTo("hash");
        assertThat(records.lastMaterialized()).isEqualTo("incremental");
        assertThat(records.changed()).containsExactly("raw.e");
        assertThat(records.retracted()).isEmpty();
        assertThat(records.frontier("raw.e", "ts")).isEqualTo(T0.plusHours(3));
        assertThat(records.frontier("raw.f", "ts")).isNull();
        assertThat(records.frontier("raw.g", "ts")).isNull();
        // the loads after the checkpoint one by one (raw.e's run 3), those up to it as their frontier (run 2)
        assertThat(records.arrivals()).containsExactly(new WindowBuildRecords.Arrival("raw.e", "ts", "processing", 3,
                T0.plusHours(3)));
        assertThat(records.frontier("raw.e", "ts", 3)).isEqualTo(T0.plusHours(1));
        assertThat(records.frontier("raw.e", "ts", 4)).isEqualTo(T0.plusHours(3));
        assertThat(records.measured("raw.e", "ts", "processing")).containsExactly(3L);
        assertThat(records.measured("raw.e", "ts", "event")).isEmpty();
        assertThat(records.measured("raw.f", "ts", "event")).isEmpty();
        // what the model's builds leave out, oldest run first
        assertThat(records.setAside()).containsExactly(quarantined, dropped);
        // the same through a session of the caller's (a build's own)
        assertThat(windows.buildRecords(session, "main.w", List.of("main.up"), List.of("raw.e", "raw.f")))
                .isEqualTo(records);
        // a model reading no tracked source reads no checkpoints, changes or arrivals
        WindowBuildRecords untracked = windows.buildRecords("main.w", List.of(), List.of());
        assertThat(untracked.checkpoints()).isEmpty();
        assertThat(untracked.changed()).isEmpty();
        assertThat(untracked.arrivals()).isEmpty();
        assertThat(untracked.lastSqlHash()).isEqualTo("hash");
        assertThat(untracked.setAside()).containsExactly(quarantined, dropped);

        WindowBuildRecords none = windows.buildRecords("main.new", List.of(), List.of());
        assertThat(none.intervalsOf("main.new")).isEmpty();
        assertThat(none.checkpoints()).isEmpty();
        assertThat(none.lastSqlHash()).isNull();
        assertThat(none.lastMaterialized()).isNull();
        assertThat(none.setAside()).isEmpty();
        // no checkpoint of a source: every measured load of it
        WindowBuildRecords fresh = windows.buildRecords("main.new", List.of(), List.of("raw.e"));
        assertThat(fresh.arrivals()).extracting(WindowBuildRecords.Arrival::runId).containsExactlyInAnyOrder(2L, 3L);
        assertThat(fresh.frontier("raw.e", "ts", 3)).isEqualTo(T0.plusHours(1));
        assertThat(fresh.frontier("raw.e", "ts", 2)).isNull();
        assertThat(fresh.measured("raw.e", "ts", "event")).containsExactly(2L);
    }

    @Test
    void storageStoreKeepsLakeVersionsAndDecisions() {
        StorageStore storage = catalog.storage();
        storage.claimLakeVersion("main.l", 1, "lake/l/v1");
        storage.publishLakeVersion(session, "main.l", 1);
        storage.claimLakeVersion("main.l", 2, "lake/l/v2");
        storage.publishLakeVersion(session, "main.l", 2);
        storage.claimLakeVersion("main.l", 3, "lake/l/v3");
        storage.recordStorage(session, StorageStore.StorageTable.STORAGE_DECISIONS, List.of(
                java.util.Arrays.asList(1L, "main.l", "format", "parquet", false, "{}", "old", null, null, null),
                java.util.Arrays.asList(2L, "main.l", "format", "parquet", false, "{}", "new", null, null, null),
                java.util.Arrays.asList(2L, "main.l", "sort", "id", true, "{}", "pinned", null, null, null)));

        assertThat(storage.isLakeVersion("lake/l/v1")).isTrue();
        assertThat(storage.isLakeVersion("lake/l/v9")).isFalse();
        assertThat(storage.currentLakeVersion(session, "main.l")).contains("lake/l/v2");
        assertThat(storage.staleLakeVersions("main.l")).containsExactly(new StorageStore.LakeVersion(1, "lake/l/v1"),
                new StorageStore.LakeVersion(3, "lake/l/v3"));
        storage.forgetLakeVersion("main.l", 1, "lake/l/v1");
        assertThat(storage.staleLakeVersions("main.l")).extracting(StorageStore.LakeVersion::runId).containsExactly(3L);
        assertThat(storage.latestDecisions(null).values()).extracting(row -> row.get(6))
                .containsExactly("new", "pinned");
        assertThat(storage.latestDecisions("main.other").values()).isEmpty();
        assertThat(storage.lastDecisionRun(session, "main.l")).contains(2L);
        assertThat(storage.lastDecisionRun(session, "main.other")).isEmpty();
    }

    @Test
    void scheduleRunsReadBackWithTheirRunAndAStartedOneIsNeverHiddenByALaterFailure() {
        long runId = catalog.runs().startRun("run", "--select a", "DuckDB", "0.1.0", "host", 1);
        catalog.runs().finishRun(runId, "failed");
        ScheduleStore schedules = catalog.schedules();
        schedules.record(new ScheduleRunRecord("hourly", T0, "started", runId, null, null));
        schedules.record(new ScheduleRunRecord("hourly", T0, "failed", null, null, "Cannot run: it failed"));
        schedules.record(new ScheduleRunRecord("hourly", T0.plusHours(1), "skipped", null, null, "busy"));
        schedules.record(new ScheduleRunRecord("nightly", T0.minusDays(1), "missed", null, null, "no server"));
        schedules.record(new ScheduleRunRecord("nightly", T0.minusDays(1), "started", runId, null, null));

        assertThat(schedules.recent("hourly", 5)).containsExactly(
                new ScheduleRunRecord("hourly", T0.plusHours(1), "skipped", null, null, "busy"),
                new ScheduleRunRecord("hourly", T0, "started", runId, "failed", null));
        assertThat(schedules.recent(null, 1)).extracting(ScheduleRunRecord::schedule).containsExactly("hourly");
        assertThat(schedules.latest()).extracting(ScheduleRunRecord::schedule, ScheduleRunRecord::status)
                .containsExactly(tuple("hourly", "skipped"), tuple("nightly", "started"));
        assertThat(catalog.runs().recentRuns(1)).extracting(RunRecord::schedule).containsExactly("hourly");
    }

    @Test
    void aCatalogFromBeforeSchedulesReadWithoutMigratingHoldsNoScheduleRuns() {
        long runId = catalog.runs().startRun("run", "", "DuckDB", "0.1.0", "host", 1);
        session.execute("DROP TABLE sluice.schedule_runs; DELETE FROM sluice.schema_version WHERE version = 18");

        Catalog old = Catalog.openExisting(engine);

        assertThat(old.schedules().recent(null, 5)).isEmpty();
        assertThat(old.schedules().latest()).isEmpty();
        assertThat(old.runs().recentRuns(1).get(0).runId()).isEqualTo(runId);
        assertThat(old.runs().recentRuns(1).get(0).schedule()).isNull();
    }

    @Test
    void masksAreThoseOfTheLatestRunThatPlannedLineageAndNoneBeforeV19() {
        catalog.lineage().recordLineage(session, 1, List.of(java.util.Arrays.asList("main.m", "email", "raw.c", "email",
                "DIRECT", "IDENTITY", "email", false)));
        catalog.lineage().recordMasks(session, 1, List.of(List.of("main.m", "email", "hash", false)));
        catalog.lineage().recordLineage(session, 2, List.of(java.util.Arrays.asList("main.m", "email", "raw.c", "email",
                "DIRECT", "IDENTITY", "email", false)));
        catalog.lineage().recordMasks(session, 2, List.of(List.of("main.m", "email", "partial", false),
                List.of("raw.c", "email", "partial", true)));

        assertThat(catalog.lineage().latestMasks().values()).containsExactly(List.of("main.m", "email", "partial"),
                List.of("raw.c", "email", "partial"));

        session.execute("DROP TABLE sluice.column_masks; DELETE FROM sluice.schema_version WHERE version = 19");
        assertThat(Catalog.openExisting(engine).lineage().latestMasks().values()).isEmpty();
    }
}
