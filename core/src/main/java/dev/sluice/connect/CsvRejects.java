package dev.sluice.connect;

import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The rejected lines of one CSV load: those whose quoting is malformed (found before DuckDB reads the files) and
 * those DuckDB's reader rejects (cast errors, wrong column counts; kept only for sources with declared columns).
 * Both go to {@code sluice.rejects} with the file as stored and the line number in the original file.
 */
final class CsvRejects implements AutoCloseable {
    private static final List<String> COLUMNS =
            List.of("file", "line", "column_name", "error_type", "error_message", "csv_line");

    /**
     * Where cleaned copies of CSV files are made, relative to the project folder: inside it, so confined sessions
     * read them, and under target/ beside the default warehouse and lake, away from the sources' globs.
     */
    static final String SCRATCH = "target/sluice-scratch";

    private final Dialect dialect;
    private final Source source;
    private final StoredPaths paths;
    private final String prefix;
    private final CsvQuotes.Prepared prepared;
    /** The query of a read that keeps no rejects (not CSV files); null for files. */
    private final String select;

    private CsvRejects(Dialect dialect, Source source, StoredPaths paths, String prefix, CsvQuotes.Prepared prepared,
            String select) {
        this.dialect = dialect;
        this.source = source;
        this.paths = paths;
        this.prefix = prefix;
        this.prepared = prepared;
        this.select = select;
    }

    /** A read by {@code select} that rejects nothing (a table, a generator, a plug-in's relation). */
    static CsvRejects none(Source source, StoredPaths paths, String select) {
        return new CsvRejects(null, source, paths, null, new CsvQuotes.Prepared(List.of(), Map.of(), List.of(), null),
                select);
    }

    /**
     * Checks the quoting of the given files (absolute; null: every file of the source) before {@code dialect}'s
     * engine reads them.
     */
    static CsvRejects prepare(Dialect dialect, Source source, List<String> files, StoredPaths paths, String prefix) {
        if (!(source.spec() instanceof SourceSpec.Files spec) || spec.format() != SourceSpec.FileFormat.CSV) {
            // Other formats read the listed files as they are (a tracked source's new files), never an empty list.
            return new CsvRejects(dialect, source, paths, prefix,
                    new CsvQuotes.Prepared(files == null ? List.of() : files, Map.of(), List.of(), null), null);
        }
        List<String> read = files != null ? files
                : FileScanner.scan(spec.path()).stream().map(FileEntry::path).toList();
        return new CsvRejects(dialect, source, paths, prefix, CsvQuotes.prepare(read, spec.csv().delimiter(),
                spec.csv().quote(), paths.root().resolve(SCRATCH)), null);
    }

    /** True when some file had malformed lines and is read from a copy. */
    boolean cleaned() {
        return prepared.copied();
    }

    /** The query reading every file of the source (copies standing in for files with malformed lines). */
    String selectAll() {
        if (select != null) {
            return select;
        }
        return prepared.copied() ? SourceSql.selectListed(dialect, source, prepared.files(), prefix)
                : SourceSql.select(dialect, source, prefix);
    }

    /** The query reading the given files, with their path in {@code filename}. */
    String selectFiles() {
        return SourceSql.selectFiles(dialect, source, prepared.files(), prefix);
    }

    /** The stored form of the file whose path (as read, possibly a copy) the SQL {@code expression} yields. */
    UnaryOperator<String> storedFile() {
        return expression -> paths.storedSql(prepared.original(expression));
    }

    /** How many lines were rejected, by quoting and by DuckDB; call on the session that read the files. */
    long count(Session session) {
        long duckDb = keepsRejects()
                ? session.query("SELECT count(*) FROM " + prefix + "_errors").singleLong() : 0;
        return prepared.malformed().size() + duckDb;
    }

    /** Records every rejected line. */
    void record(Catalog catalog, Session session, long runId) {
        catalog.state().recordRejects(session, runId, source.qualifiedName(), malformed(Integer.MAX_VALUE));
        if (keepsRejects()) {
            catalog.state().recordRejects(session, runId, source.qualifiedName(), prefix + "_errors", prefix + "_scans",
                    storedFile());
        }
    }

    /** Reads up to {@code limit} rejected lines, to keep them past a rollback. */
    Rows sample(Catalog catalog, Session session, int limit) {
        Rows quoting = malformed(limit);
        List<List<Object>> rows = new ArrayList<>(quoting.values());
        if (keepsRejects() && rows.size() < limit) {
            rows.addAll(catalog.state().readRejects(session, prefix + "_errors", prefix + "_scans", limit - rows.size(),
                    storedFile()).values());
        }
        return new Rows(COLUMNS, rows);
    }

    private Rows malformed(int limit) {
        List<List<Object>> rows = new ArrayList<>();
        for (CsvQuotes.Malformed line : prepared.malformed().subList(0, Math.min(limit, prepared.malformed().size()))) {
            List<Object> row = new ArrayList<>();
            row.add(paths.stored(line.file()));
            row.add(line.line());
            row.add(null);
            // DuckDB's own name for a line whose quotes do not parse.
            row.add("UNQUOTED VALUE");
            row.add(line.reason());
            row.add(line.text());
            rows.add(row);
        }
        return new Rows(COLUMNS, rows);
    }

    /** Hides secrets in the reject tables DuckDB kept while reading the files, if any. */
    void hideSecrets(Session session, LoadContext context) {
        if (keepsRejects()) {
            context.hideSecrets(session, prefix + "_scans", "file_path");
            context.hideSecrets(session, prefix + "_errors", "error_message");
        }
    }

    /** True when DuckDB keeps this read's rejected lines: CSV files with declared columns. */
    private boolean keepsRejects() {
        return select == null && SourceSql.keepsRejects(source);
    }

    /** Deletes the copies; the counts and rejected lines stay readable. */
    @Override
    public void close() {
        prepared.close();
    }
}
