package dev.sluice.connect;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: table}: a table of another DuckDB database file, attached read-only and never changed; read whole on
 * every run, or tracked by a watermark or by row hashes ({@link TrackedRows}).
 */
public final class TableConnector implements SourceConnector {

    @Override
    public String type() {
        return "table";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return TableConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return ((SourceSpec.Table) spec).detection() != SourceSpec.TableDetection.FULL;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        session.execute("CREATE OR REPLACE TABLE " + relation + " AS SELECT * FROM " + open(session, source)
                + " LIMIT 0");
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        if (!tracked(source.spec())) {
            return new FullLoader(context).load(source, rules, (session, prefix) -> CsvRejects.none(source,
                    context.paths(), "SELECT * FROM " + open(session, source)), 0, "");
        }
        return TrackedRows.load(source, rules, context, tracking(source), session -> open(session, source));
    }

    @Override
    public SourceChange detect(Source source, Detector context) {
        return TrackedRows.detect(source, context, tracking(source), session -> open(session, source));
    }

    @Override
    public SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        SourceSpec.Table table = (SourceSpec.Table) source.spec();
        // The database's name as written in sluice.yml, secrets hidden: a connection string may hold a password.
        URI uri;
        try {
            uri = new URI("database", context.project().redact(table.database()), null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("a scheme and any text always make an opaque URI", e);
        }
        return new SourceInput(uri, List.of(), null, null, context.watermarkRange(source, afterRun, upToRun));
    }

    /** Attaches the database read-only on the session; the external table is then readable. */
    private static String open(Session session, Source source) {
        SourceSql.setup(source).ifPresent(session::execute);
        return SourceSql.externalTable(source);
    }

    private static TrackedRows.Tracking tracking(Source source) {
        SourceSpec.Table table = (SourceSpec.Table) source.spec();
        TrackedRows.Detection detection = switch (table.detection()) {
            case WATERMARK -> TrackedRows.Detection.WATERMARK;
            case ROW_HASH -> TrackedRows.Detection.ROW_HASH;
            case FULL -> throw new IllegalStateException("source " + source.qualifiedName() + " is read whole");
        };
        return new TrackedRows.Tracking(detection, table.watermark(), table.overlap(), table.key());
    }
}
