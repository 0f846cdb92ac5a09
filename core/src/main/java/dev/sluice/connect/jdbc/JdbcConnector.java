package dev.sluice.connect.jdbc;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.connect.Detector;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceInput;
import dev.sluice.connect.Tracked;
import dev.sluice.connect.TrackedRows;
import dev.sluice.connect.WholeRead;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code type: jdbc}: a table or query of a database reached through JDBC (PostgreSQL's driver is bundled; others
 * by putting their jar on the class path), read through a pool of read-only connections and never written. Each load
 * streams the rows to read into the warehouse's bulk loader ({@link JdbcReader}), then loads them as a
 * {@code type: table} source is loaded: whole, or tracked by a watermark (pushed down to the source) or by row
 * hashes (computed by PostgreSQL), with the same layout, gates, rejects and checkpoints ({@link TrackedRows}).
 */
public final class JdbcConnector implements SourceConnector {

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return JdbcConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return ((JdbcSpec) spec).detection() != SourceSpec.TableDetection.FULL;
    }

    /**
     * Describes the source by asking its database, and keeps the answer under the project's {@code target} folder:
     * when the database cannot be reached, the last answer stands in, so that the run goes on, fails this source and
     * the models reading it, and builds the other branches (a first run has no answer kept, and stops).
     */
    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        List<String> columns;
        try (JdbcDatabase database = JdbcDatabase.open(source, 1, UnaryOperator.identity())) {
            columns = new JdbcReader(source, database, UnaryOperator.identity()).columns().stream()
                    .map(column -> Sql.identifier(column.name()) + " " + column.type()).toList();
            JdbcColumnCache.write(root, source, columns);
        } catch (dev.sluice.SluiceException e) {
            columns = e.code() == dev.sluice.ErrorCode.RUN_FAILED ? JdbcColumnCache.read(root, source) : List.of();
            if (columns.isEmpty()) {
                throw e;
            }
        }
        session.execute("CREATE OR REPLACE TABLE " + relation + " (" + String.join(", ", columns) + ")");
    }

    @Override
    public String explain(Source source, String engineMessage, Path root) {
        return String.valueOf(engineMessage);
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        try (Read read = new Read(source, context)) {
            Function<Session, String> open = read::stage;
            if (!tracked(source.spec())) {
                return WholeRead.load(source, rules, context, open);
            }
            return TrackedRows.load(source, rules, context, tracking(source), open);
        }
    }

    /** One load's read: the source's pool, opened when the load stages its rows, closed after it. */
    private static final class Read implements AutoCloseable {
        private final Source source;
        private final LoadContext context;
        private JdbcDatabase database;

        Read(Source source, LoadContext context) {
            this.source = source;
            this.context = context;
        }

        /** Streams what the load reads into the session; returns the staged relation. */
        String stage(Session session) {
            JdbcSpec spec = (JdbcSpec) source.spec();
            // Above the last high-water mark only when the rows below it are held: a dropped table is read whole.
            String previous = spec.detection() == SourceSpec.TableDetection.WATERMARK && Tracked.exists(session,
                    source) ? context.catalog().state().watermark(source.qualifiedName()).orElse(null) : null;
            database = JdbcDatabase.open(source, spec.partitions(), context.redact());
            JdbcReader reader = new JdbcReader(source, database, context.redact());
            return reader.stage(session, reader.plan(previous));
        }

        @Override
        public void close() {
            if (database != null) {
                database.close();
            }
        }
    }

    @Override
    public SourceChange detect(Source source, Detector context) {
        return JdbcDetection.detect(source, context);
    }

    @Override
    public SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        return new SourceInput(JdbcLineage.dataset((JdbcSpec) source.spec()), List.of(), null, null,
                tracked(source.spec()) ? context.watermarkRange(source, afterRun, upToRun) : null);
    }

    static TrackedRows.Tracking tracking(Source source) {
        JdbcSpec spec = (JdbcSpec) source.spec();
        TrackedRows.Detection detection = switch (spec.detection()) {
            case WATERMARK -> TrackedRows.Detection.WATERMARK;
            case ROW_HASH -> TrackedRows.Detection.ROW_HASH;
            case FULL -> throw new IllegalStateException("source " + source.qualifiedName() + " is read whole");
        };
        return new TrackedRows.Tracking(detection, spec.watermark(), spec.overlap(), spec.key());
    }
}
