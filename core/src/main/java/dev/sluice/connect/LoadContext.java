package dev.sluice.connect;

import dev.sluice.SourceResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.SourceLoadRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.quality.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What every connector's load of one run shares: the warehouse, the catalog, the run, the secret redaction, the
 * way file paths are stored and the gates, and the way a load's outcome is recorded.
 *
 * @param redact hides secret values in every error message before it is stored or returned
 * @param readInFull source → the columns (lower case) that table models of the run read every row of, converting
 *     each value: a source read in place need not convert those itself (see {@code InPlaceLoader})
 * @param listings source (lower-case qualified name) → the listing this run's planning made of a manifest-tracked
 *     files source under the run's warehouse lock: its load reads those files (see {@link ManifestListing})
 */
public record LoadContext(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, StoredPaths paths,
        SourceGates gates, Map<String, Set<String>> readInFull, Map<String, ManifestListing> listings) {

    public LoadContext {
        readInFull = Map.copyOf(readInFull);
        listings = Map.copyOf(listings);
    }

    /** A context whose loads list their files themselves. */
    public LoadContext(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, StoredPaths paths,
            SourceGates gates, Map<String, Set<String>> readInFull) {
        this(engine, catalog, runId, redact, paths, gates, readInFull, Map.of());
    }

    /** A context where no model's read is counted on: a load in place converts every column. */
    public LoadContext(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, StoredPaths paths,
            SourceGates gates) {
        this(engine, catalog, runId, redact, paths, gates, Map.of());
    }

    /** The listing planning made of the source for this run's load, if any. */
    Optional<ManifestListing> listing(Source source) {
        return Optional.ofNullable(listings.get(source.qualifiedName().toLowerCase(Locale.ROOT)));
    }

    /**
     * Why a source failed to load, in the user's terms: the source, where sluice.yml declares it, its path and
     * DuckDB's cause, never the SQL Sluice wrote to load it (DuckDB echoes it after {@code LINE n:}) nor the reader
     * settings and hints DuckDB appends after a blank line. A files source's path shows relative to the project folder
     * ({@code from}: {@code " from path ..."}, or empty).
     */
    public static String loadFailure(Source source, String from, String duckDbMessage) {
        String message = String.valueOf(duckDbMessage);
        int echo = message.indexOf("\nLINE ");
        message = echo < 0 ? message : message.substring(0, echo);
        int details = message.indexOf("\n\n");
        message = (details < 0 ? message : message.substring(0, details)).strip().replaceAll("\\s*\\R\\s*", "; ");
        return String.format("Cannot load source %s (%s)%s: %s; fix the data, or the source's definition in "
                + "sluice.yml", source.qualifiedName(), source.location(), from, message);
    }

    /** A failed load, its error redacted. */
    public SourceResult failed(Source source, long start, String error) {
        return new SourceResult(source.qualifiedName(), false, 0, 0, elapsed(start), redact.apply(error), List.of());
    }

    /**
     * Replaces the secrets in one text column of a temporary table by their placeholders, before its rows are
     * copied into the warehouse: a source path from the environment reaches the file names DuckDB reports. The
     * values are bound as parameters, so no secret is in any statement's text.
     */
    public void hideSecrets(Session session, String table, String column) {
        for (List<Object> row : session.query("SELECT DISTINCT " + column + " FROM " + table).values()) {
            String value = (String) row.get(0);
            String hidden = value == null ? null : redact.apply(value);
            if (hidden != null && !hidden.equals(value)) {
                session.execute("UPDATE " + table + " SET " + column + " = ? WHERE " + column + " = ?", hidden, value);
            }
        }
    }

    /** Records the load in {@code sluice.source_loads}, on the given session (inside its transaction, if any). */
    public void record(Session session, SourceResult result) {
        Long rows = result.counted() ? result.rows() : null;
        catalog.state().recordSourceLoad(session, new SourceLoadRecord(runId, result.source(),
                result.loaded() ? "success" : "failed", rows, result.rejected(), result.duration().toMillis(),
                result.error()));
    }

    /**
     * Checks the rows this run loaded into a tracked source against its rules, inside the load's transaction. When
     * the gate fails, the load is rolled back, the results and the failed load are recorded, and {@code failure}
     * is set; otherwise the results are recorded with the load.
     */
    public GateCheck checkLoaded(Session session, Source source, List<Rule> rules, long start) {
        SourceGates.Outcome checked = gates.check(session, source.qualifiedName(), rules,
                Tracked.loadedBy(session.dialect(), source, runId));
        if (checked.passed()) {
            gates.record(session, checked, true);
            return new GateCheck(checked, null);
        }
        session.rollback();
        session.begin();
        gates.record(session, checked, false);
        SourceResult failure = failed(source, start, String.format("Cannot load source %s (%s): %s",
                source.qualifiedName(), source.location(), checked.failure()));
        record(session, failure);
        session.commit();
        return new GateCheck(checked, failure);
    }

    /** A source gate's results, and the failed load when the gate stopped it (else null). */
    public record GateCheck(SourceGates.Outcome checked, SourceResult failure) {
    }

    public static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
