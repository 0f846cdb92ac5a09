package dev.sluice.connect;

import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import dev.sluice.quality.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a files source read in place: its relation becomes a view over its files (the engine's file reader with the
 * declared columns and reader options), so a load writes no rows into the warehouse, only the view, the source's
 * gate results and its load record, in one transaction. A failed load (no files, a failed gate) leaves the relation
 * as it was. Creating the view proves the files exist (the engine binds it, sniffing CSV and JSON). A value of a CSV
 * or JSON file that the sniffed types do not fit must fail the run naming the file and line: the load converts, while
 * counting the rows, every column that no table model of the run reads in full
 * ({@link LoadContext#readInFull}); when those models read every column, the load reads nothing (the rows are not
 * counted: a count would parse every file once more than the models do, 11–40% of a run over a large CSV) and a bad
 * value fails the model reading it, in the model's own transaction. Parquet is typed, counted from its metadata.
 */
final class InPlaceLoader {
    private final LoadContext context;

    InPlaceLoader(LoadContext context) {
        this.context = context;
    }

    /**
     * Why the source's rows must be copied into the warehouse, or empty when it can be read in place: rejected lines
     * kept aside (a max_rejected_fraction), manifest tracking, rows quarantined by a rule, or a secret in its path (a
     * view's text is stored in the warehouse).
     */
    static Optional<String> copyNeeded(Source source, List<Rule> rules, LoadContext context) {
        // Objects in S3 never get here: they are staged, then loaded as local files with load: copy.
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        Optional<String> noViews = context.engine().dialect().noViewsOverFiles();
        if (noViews.isPresent()) {
            return noViews;
        }
        if (spec.changeDetection() == SourceSpec.ChangeDetection.MANIFEST) {
            return Optional.of("change_detection: manifest keeps the rows of each file read");
        }
        if (spec.maxRejectedFraction() > 0) {
            return Optional.of("max_rejected_fraction keeps rejected lines aside");
        }
        Optional<Rule> quarantined = rules.stream().filter(rule -> rule.severity() == Severity.QUARANTINE).findFirst();
        if (quarantined.isPresent()) {
            return Optional.of("quality rule '" + quarantined.get().name() + "' (" + quarantined.get().location()
                    + ") moves failing rows to a quarantine table");
        }
        if (!context.redact().apply(spec.path()).equals(spec.path())) {
            return Optional.of("its path holds a secret, which a view would store in the warehouse");
        }
        return Optional.empty();
    }

    /**
     * True when the source is read in place: {@code load: in_place}, or no {@code load:} and nothing needs a copy
     * (declared CSV columns keep rejected lines aside by default, so they copy unless {@code load: in_place}).
     */
    static boolean inPlace(Source source, List<Rule> rules, LoadContext context) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        if (spec.load() != null) {
            return switch (spec.load()) {
                case IN_PLACE -> true;
                case COPY -> false;
            };
        }
        return !SourceSql.keepsRejects(source) && copyNeeded(source, rules, context).isEmpty();
    }

    SourceResult load(Source source, List<Rule> rules) {
        long start = System.nanoTime();
        String from = FilesConnector.from(source, context.paths());
        try (Session session = context.engine().session()) {
            Optional<String> needed = copyNeeded(source, rules, context);
            if (needed.isPresent()) {
                // load: in_place was asked for, but a rule or the path needs the rows in the warehouse.
                SourceResult result = context.failed(source, start, String.format("Cannot load source %s (%s) in "
                        + "place: %s, which needs its rows copied into the warehouse; set load: copy on the source, or "
                        + "remove what needs the copy", source.qualifiedName(), source.location(), needed.get()));
                context.record(session, result);
                return result;
            }
            String relation = Sql.qualified(source.schema(), source.table());
            session.begin();
            try {
                dropPrevious(session, source);
                session.execute("CREATE VIEW " + relation + " AS " + SourceSql.select(session.dialect(), source));
                long rows = count(session, source, relation);
                String error = null;
                SourceGates.Outcome checked = null;
                if (!rules.isEmpty()) {
                    checked = context.gates().check(session, source.qualifiedName(), rules, relation);
                    if (!checked.passed()) {
                        error = String.format("Cannot load source %s (%s): %s", source.qualifiedName(),
                                source.location(), checked.failure());
                        // The previous relation stays as it was.
                        session.rollback();
                        session.begin();
                    }
                    context.gates().record(session, checked, error == null);
                }
                SourceResult result = new SourceResult(source.qualifiedName(), error == null, error == null ? rows : 0,
                        0, LoadContext.elapsed(start), error == null ? null : context.redact().apply(error),
                        checked == null ? List.of() : checked.results());
                context.record(session, result);
                session.commit();
                return result;
            } catch (SluiceException | java.io.UncheckedIOException e) {
                session.rollback();
                SourceResult result = context.failed(source, start,
                        LoadContext.loadFailure(source, from, e.getMessage()));
                context.record(session, result);
                return result;
            }
        }
    }

    /**
     * The rows of the view, or {@link SourceResult#UNCOUNTED} when the table models of the run convert every column
     * of its text files; otherwise the count converts the columns they do not read, so that a value the sniffed types
     * do not fit fails the load with its file and line, as a copy would, not a view or a query later.
     */
    private long count(Session session, Source source, String relation) {
        if (((SourceSpec.Files) source.spec()).format() == SourceSpec.FileFormat.PARQUET) {
            return session.query("SELECT count(*) FROM " + relation).singleLong();
        }
        Set<String> read = context.readInFull().getOrDefault(source.qualifiedName(), Set.of());
        StringBuilder counts = new StringBuilder("SELECT count(*)");
        boolean unread = false;
        // The view's columns as its creation bound them: a DESCRIBE would bind the view again (the CSV sniffed once
        // more, a read of every file's start with union_by_name).
        for (List<Object> column : session.query("SELECT column_name FROM information_schema.columns WHERE "
                + "table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY "
                + "ordinal_position", source.schema(), source.table()).values()) {
            String name = (String) column.get(0);
            if (!read.contains(name.toLowerCase(Locale.ROOT))) {
                counts.append(", count(").append(Sql.identifier(name)).append(')');
                unread = true;
            }
        }
        if (!unread) {
            return SourceResult.UNCOUNTED;
        }
        return ((Number) session.query(counts.append(" FROM ").append(relation).toString()).values().get(0).get(0))
                .longValue();
    }

    /**
     * Drops what an earlier load left under the source's name: a table copied by a full load, or the view and data
     * table of a manifest-tracked source (its manifest forgotten, so tracking again reads every file), or this
     * loader's own view.
     */
    private void dropPrevious(Session session, Source source) {
        Object type = session.query("SELECT table_type FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ?", source.schema(), source.table()).single();
        if ("BASE TABLE".equals(type)) {
            session.execute("DROP TABLE " + Sql.qualified(source.schema(), source.table()));
        } else if ("VIEW".equals(type)) {
            session.execute("DROP VIEW " + Sql.qualified(source.schema(), source.table()));
            if (Tracked.exists(session, source)) {
                session.execute("DROP TABLE " + Tracked.data(source));
                context.catalog().state().forgetSource(session, source.qualifiedName());
            }
        }
    }
}
