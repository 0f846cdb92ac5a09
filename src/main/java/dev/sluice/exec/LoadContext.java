package dev.sluice.exec;

import dev.sluice.SourceResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.SourceLoadRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What every source loader of one run shares: the warehouse, the catalog, the run, the secret redaction and the
 * gates, and the way a load's outcome is recorded.
 *
 * @param redact hides secret values in every error message before it is stored or returned
 */
record LoadContext(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, GateRunner gates) {

    LoadContext(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact) {
        this(engine, catalog, runId, redact, new GateRunner(catalog, runId));
    }

    /** A failed load, its error redacted. */
    SourceResult failed(Source source, long start, String error) {
        return new SourceResult(source.qualifiedName(), false, 0, 0, elapsed(start), redact.apply(error), List.of());
    }

    /** Records the load in {@code sluice.source_loads}, on the given session (inside its transaction, if any). */
    void record(Session session, SourceResult result) {
        catalog.recordSourceLoad(session, new SourceLoadRecord(runId, result.source(),
                result.loaded() ? "success" : "failed", result.rows(), result.rejected(), result.duration().toMillis(),
                result.error()));
    }

    static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
