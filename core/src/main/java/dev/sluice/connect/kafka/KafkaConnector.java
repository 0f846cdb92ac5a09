package dev.sluice.connect.kafka;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.connect.Detector;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceInput;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: kafka}: a topic of JSON records, read as a bounded slice per run (up to the end offsets seen at the
 * run's start) and flattened to the declared columns; corrupt records go to {@code sluice.rejects}. The offsets per
 * partition are the source's checkpoint, committed in the catalog with the loaded rows, so each record reaches the
 * warehouse exactly once. Its rows are tracked ({@link dev.sluice.connect.Tracked}): incremental models read only the
 * records loaded after their checkpoint.
 */
public final class KafkaConnector implements SourceConnector {

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return KafkaConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return true;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        List<String> columns = new ArrayList<>();
        ((KafkaSpec) source.spec()).columns().forEach(column -> columns.add(Sql.identifier(column.name()) + " "
                + column.sqlType()));
        session.execute("CREATE OR REPLACE TABLE " + relation + " (" + String.join(", ", columns) + ")");
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        return new KafkaLoader(context).load(source, rules);
    }

    /** The records between the stored offsets and the ends now, per partition; asks the broker, loads nothing. */
    @Override
    public SourceChange detect(Source source, Detector context) {
        KafkaSpec spec = (KafkaSpec) source.spec();
        Map<Integer, Long> stored = context.catalog() == null ? Map.of()
                : context.catalog().state().streamOffsets(source.qualifiedName(), spec.topic());
        try (KafkaReader reader = new KafkaReader(spec, source)) {
            KafkaReader.Slice slice = reader.slice(stored);
            return new SourceChange(source.qualifiedName(), "offsets", String.format(Locale.ROOT,
                    "%d records after the stored offsets in %d partitions of topic %s%s", slice.records(),
                    slice.to().size(), spec.topic(), stored.isEmpty() ? " (first load)" : ""));
        } catch (Exception e) {
            return new SourceChange(source.qualifiedName(), "offsets", "cannot reach topic " + spec.topic() + " on "
                    + spec.bootstrapServers() + ": " + e.getMessage());
        }
    }

    /**
     * The topic in OpenLineage's naming ({@code kafka://host:port} of the first bootstrap server, the topic as the
     * name: {@code kafka://host:port/topic}), with the offsets before and after the slice read, per partition
     * ({@code partition:offset,...}).
     */
    @Override
    public SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        KafkaSpec spec = (KafkaSpec) source.spec();
        return new SourceInput(URI.create("kafka://" + spec.firstServer() + "/" + spec.topic()), List.of(), null,
                null, context.watermarkRange(source, afterRun, upToRun));
    }
}
