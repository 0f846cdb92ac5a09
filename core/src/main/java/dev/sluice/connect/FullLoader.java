package dev.sluice.connect;

import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.quality.Rule;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Loads a whole source into its warehouse table, atomically: the table is replaced, with the load's catalog record,
 * in one transaction, or left as it was. Corrupt CSV lines are kept in {@code sluice.rejects} with file and line.
 */
final class FullLoader {
    /** Rejected lines kept when a load fails: enough to diagnose, bounded so a broken file cannot flood the catalog. */
    static final int KEPT_ON_FAILURE = 1000;


    private final LoadContext context;

    FullLoader(LoadContext context) {
        this.context = context;
    }

    /**
     * Where a failed load's rejected lines are, saying when {@code sluice.rejects} keeps only a sample of them (the
     * total stays in {@code sluice.source_loads.rejected}).
     */
    static String keptRejects(long rejected, long runId) {
        String query = "SELECT * FROM sluice.rejects WHERE run_id = " + runId;
        return rejected <= KEPT_ON_FAILURE ? "see " + query
                : String.format(Locale.ROOT, "sluice.rejects keeps a sample of %d of the %d rejected lines (the "
                        + "total is in sluice.source_loads.rejected): see %s", KEPT_ON_FAILURE,
                        rejected, query);
    }

    /**
     * Loads the source whole. {@code open} runs on the load's session before its transaction (attaching a database,
     * scanning CSV quoting) and returns the read, given the prefix of the temporary tables DuckDB keeps rejected
     * lines in; {@code maxFraction} is the share of rejected lines above which the load fails; {@code from} names
     * the source's path in failures ({@code " from path ..."}, or empty).
     */
    SourceResult load(Source source, List<Rule> rules, BiFunction<Session, String, CsvRejects> open,
            double maxFraction, String from) {
        long start = System.nanoTime();
        String prefix = "sluice_rejects_" + source.schema().toLowerCase(Locale.ROOT) + "_"
                + source.table().toLowerCase(Locale.ROOT);
        try (Session session = context.engine().session()) {
            CsvRejects read;
            try {
                read = open.apply(session, prefix);
            } catch (SluiceException | java.io.UncheckedIOException e) {
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, 0, LoadContext.elapsed(start),
                        context.redact().apply(LoadContext.loadFailure(source, from, e.getMessage())), List.of());
                context.record(session, result);
                return result;
            }
            session.begin();
            try (CsvRejects rejects = read) {
                replaceTracked(session, source);
                session.execute("CREATE OR REPLACE TABLE " + Sql.qualified(source.schema(), source.table())
                        + " AS " + rejects.selectAll());
                rejects.hideSecrets(session, context);
                long rows = session.query("SELECT count(*) FROM "
                        + Sql.qualified(source.schema(), source.table())).singleLong();
                long rejected = rejects.count(session);
                double fraction = rows + rejected == 0 ? 0 : (double) rejected / (rows + rejected);
                String error = fraction > maxFraction
                        ? String.format(Locale.ROOT, "Cannot load source %s (%s): %d of %d lines (%.2f%%) are corrupt, "
                                + "above max_rejected_fraction %s; %s, fix the files or raise max_rejected_fraction",
                                source.qualifiedName(), source.location(), rejected, rows + rejected, fraction * 100,
                                maxFraction, keptRejects(rejected, context.runId()))
                        : null;
                String relation = Sql.qualified(source.schema(), source.table());
                SourceGates.Outcome checked = null;
                if (error == null && !rules.isEmpty()) {
                    // Gates check the newly loaded data before any model reads it.
                    checked = context.gates().check(session, source.qualifiedName(), rules, relation);
                    if (checked.passed()) {
                        rows -= context.gates().quarantine(session, checked, source.schema(), source.table(), relation);
                    } else {
                        error = String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), checked.failure());
                    }
                }
                if (error == null) {
                    if (rejected > 0) {
                        rejects.record(context.catalog(), session, context.runId());
                    }
                } else {
                    // Keep the evidence, drop the data: the previous table stays as it was.
                    Rows sample = rejected == 0 ? null : rejects.sample(context.catalog(), session, KEPT_ON_FAILURE);
                    session.rollback();
                    session.begin();
                    if (sample != null) {
                        context.catalog().state().recordRejects(session, context.runId(), source.qualifiedName(),
                                sample);
                    }
                }
                if (checked != null) {
                    context.gates().record(session, checked, error == null);
                }
                SourceResult result = new SourceResult(source.qualifiedName(), error == null, rows, rejected,
                        LoadContext.elapsed(start), error == null ? null : context.redact().apply(error),
                        checked == null ? List.of() : checked.results());
                context.record(session, result);
                session.commit();
                return result;
            } catch (SluiceException | java.io.UncheckedIOException e) {
                session.rollback();
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, 0, LoadContext.elapsed(start),
                        context.redact().apply(LoadContext.loadFailure(source, from, e.getMessage())), List.of());
                context.record(session, result);
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
            context.catalog().state().forgetSource(session, source.qualifiedName());
        }
    }

}
