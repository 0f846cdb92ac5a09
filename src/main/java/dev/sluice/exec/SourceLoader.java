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
import java.time.Duration;
import java.util.function.UnaryOperator;
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

    /** {@code redact} hides secret values in every error message before it is stored or returned. */
    SourceLoader(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact) {
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
    }

    SourceResult load(Source source) {
        long start = System.nanoTime();
        String prefix = "sluice_rejects_" + source.schema().toLowerCase(Locale.ROOT) + "_"
                + source.table().toLowerCase(Locale.ROOT);
        double maxFraction = source.spec() instanceof SourceSpec.Files files ? files.maxRejectedFraction() : 0;
        try (Session session = engine.session()) {
            session.begin();
            try {
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
                if (error == null && rejected > 0) {
                    catalog.recordRejects(session, runId, source.qualifiedName(), prefix + "_errors", prefix + "_scans");
                }
                if (error != null) {
                    // Keep the evidence, drop the data: the previous table stays as it was.
                    Rows sample = catalog.readRejects(session, prefix + "_errors", prefix + "_scans", KEPT_ON_FAILURE);
                    session.rollback();
                    session.begin();
                    catalog.recordRejects(session, runId, source.qualifiedName(), sample);
                }
                SourceResult result = new SourceResult(source.qualifiedName(), error == null, rows, rejected,
                        elapsed(start), error == null ? null : redact.apply(error));
                record(session, result);
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, 0, elapsed(start),
                        redact.apply(String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), e.getMessage())));
                record(session, result);
                return result;
            }
        }
    }

    private long rejectedLines(Session session, Source source, String prefix) {
        if (!(source.spec() instanceof SourceSpec.Files files) || files.format() != SourceSpec.FileFormat.CSV) {
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
