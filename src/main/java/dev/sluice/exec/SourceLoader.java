package dev.sluice.exec;

import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.SourceLoadRecord;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.List;
import java.util.Locale;

/**
 * Loads a source into its warehouse table, atomically: the table is replaced, with the load's catalog record,
 * in one transaction, or left as it was. Corrupt CSV lines are kept in {@code sluice.rejects} with file and line.
 */
final class SourceLoader {
    /** Rejected lines kept when a load fails: enough to diagnose, bounded so a broken file cannot flood the catalog. */
    private static final int KEPT_ON_FAILURE = 1000;

    private final Engine engine;
    private final Catalog catalog;
    private final long runId;
    private final UnaryOperator<String> redact;
    private final GateRunner gates;

    /** {@code redact} hides secret values in every error message before it is stored or returned. */
    SourceLoader(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact) {
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
        this.gates = new GateRunner(catalog, runId);
    }

    SourceResult load(Source source, List<Rule> rules) {
        long start = System.nanoTime();
        String prefix = "sluice_rejects_" + source.schema().toLowerCase(Locale.ROOT) + "_"
                + source.table().toLowerCase(Locale.ROOT);
        double maxFraction = source.spec() instanceof SourceSpec.Files files ? files.maxRejectedFraction() : 0;
        try (Session session = engine.session()) {
            try {
                SourceSql.setup(source).ifPresent(session::execute);
            } catch (SluiceException e) {
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, 0, elapsed(start),
                        redact.apply(String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), e.getMessage())), List.of());
                record(session, result);
                return result;
            }
            session.begin();
            try {
                replaceTracked(session, source);
                session.execute("CREATE OR REPLACE TABLE " + Sql.qualified(source.schema(), source.table())
                        + " AS " + SourceSql.select(source, prefix));
                long rows = session.query("SELECT count(*) FROM "
                        + Sql.qualified(source.schema(), source.table())).singleLong();
                long rejected = rejectedLines(session, source, prefix);
                double fraction = rows + rejected == 0 ? 0 : (double) rejected / (rows + rejected);
                String error = fraction > maxFraction
                        ? String.format(Locale.ROOT, "Cannot load source %s (%s): %d of %d lines (%.2f%%) are corrupt, "
                                + "above max_rejected_fraction %s; see SELECT * FROM sluice.rejects WHERE run_id = %d, "
                                + "fix the files or raise max_rejected_fraction", source.qualifiedName(),
                                source.location(), rejected, rows + rejected, fraction * 100, maxFraction, runId)
                        : null;
                String relation = Sql.qualified(source.schema(), source.table());
                GateRunner.Checked checked = null;
                if (error == null && !rules.isEmpty()) {
                    // Gates check the newly loaded data before any model reads it.
                    checked = gates.check(session, source.qualifiedName(), rules, relation);
                    if (checked.passed()) {
                        rows -= gates.quarantine(session, checked, source.schema(), source.table(), relation);
                    } else {
                        error = String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), checked.failure());
                    }
                }
                if (error == null) {
                    if (rejected > 0) {
                        catalog.recordRejects(session, runId, source.qualifiedName(), prefix + "_errors",
                                prefix + "_scans");
                    }
                } else {
                    // Keep the evidence, drop the data: the previous table stays as it was.
                    Rows sample = rejected == 0 ? null
                            : catalog.readRejects(session, prefix + "_errors", prefix + "_scans", KEPT_ON_FAILURE);
                    session.rollback();
                    session.begin();
                    if (sample != null) {
                        catalog.recordRejects(session, runId, source.qualifiedName(), sample);
                    }
                }
                if (checked != null) {
                    gates.record(session, checked, error == null);
                }
                SourceResult result = new SourceResult(source.qualifiedName(), error == null, rows, rejected,
                        elapsed(start), error == null ? null : redact.apply(error),
                        checked == null ? List.of() : checked.results());
                record(session, result);
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, 0, elapsed(start),
                        redact.apply(String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), e.getMessage())), List.of());
                record(session, result);
                return result;
            }
        }
    }

    /** A source that was tracked by a manifest before is a view over tagged rows: drop both and the manifest. */
    private void replaceTracked(Session session, Source source) {
        Object type = session.query("SELECT table_type FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ?", source.schema(), source.table()).single();
        if ("VIEW".equals(type)) {
            session.execute("DROP VIEW " + Sql.qualified(source.schema(), source.table()));
            session.execute("DROP TABLE IF EXISTS " + Tracked.data(source));
            catalog.forgetSource(session, source.qualifiedName());
        }
    }

    private long rejectedLines(Session session, Source source, String prefix) {
        if (!SourceSql.keepsRejects(source)) {
            return 0;
        }
        return session.query("SELECT count(*) FROM " + prefix + "_errors").singleLong();
    }

    private void record(Session session, SourceResult result) {
        catalog.recordSourceLoad(session, new SourceLoadRecord(runId, result.source(),
                result.loaded() ? "success" : "failed", result.rows(), result.rejected(),
                result.duration().toMillis(), result.error()));
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
