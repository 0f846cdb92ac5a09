package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a model's {@code sink:} front matter: the type, mode and key (Sluice's), then the sink type's own settings.
 * {@code ${env:NAME}} is resolved in the sink's mapping only (a model's SQL never reads the environment), and a
 * password written in clear text is refused where it is written.
 */
final class SinkParser {
    /** Keys whose value must come from the environment: written in a model file, it would be in version control. */
    private static final List<String> SECRET_KEYS = List.of("password");

    private final Fields fields;
    private final Problems problems;
    private final Map<String, String> environment;
    private final Path file;
    private final Path projectRoot;
    private final List<Secret> secrets = new ArrayList<>();

    SinkParser(Path projectRoot, Path file, Problems problems, Map<String, String> environment) {
        this.projectRoot = projectRoot;
        this.fields = new Fields(file, problems, ErrorCode.MODEL_INVALID);
        this.problems = problems;
        this.environment = environment;
        this.file = file;
    }

    /** The values taken from the environment by the sinks read so far. */
    List<Secret> secrets() {
        return List.copyOf(secrets);
    }

    /** The sink of model {@code model}, or null after reporting its problems. */
    SinkSpec parse(YamlNode node, String model, Materialization materialized, Incremental incremental) {
        String what = "model " + model + " sink";
        YamlNode.Mapping written = fields.mapping(node, what);
        if (written == null) {
            return null;
        }
        int before = problems.size();
        for (String key : SECRET_KEYS) {
            if (written.get(key) instanceof YamlNode.Scalar scalar && !Secret.onlyReferences(scalar.text().strip())) {
                fields.problem(fields.at(scalar), "Cannot read %s %s: a password written in the model file would be "
                        + "in version control and in every copy of the project; write %s: ${env:NAME} and set the "
                        + "environment variable NAME where sluice runs", what, key, key);
            }
        }
        if (written.get("url") instanceof YamlNode.Scalar url
                && url.text().toLowerCase(Locale.ROOT).matches(".*[?&;]password=(?!\\$\\{(env|file):).*")) {
            fields.problem(fields.at(url), "Cannot read %s url: it holds a password in clear text; remove it from "
                    + "the url and write password: ${env:NAME}", what);
        }
        EnvironmentResolver resolver = new EnvironmentResolver(environment, projectRoot, file, problems);
        YamlNode.Mapping mapping = (YamlNode.Mapping) resolver.resolve(written);
        secrets.addAll(resolver.secrets());
        Location location = new Location(file, mapping.line(), mapping.column());
        if (materialized == Materialization.EPHEMERAL) {
            fields.problem(location, "Cannot read %s: an ephemeral model is inlined into the models reading it and "
                    + "publishes nothing to write; materialize it as a table or remove the sink", what);
        }
        SinkType type = type(mapping, what, location);
        SinkSpec.Mode mode = mapping.get("mode") == null ? null
                : fields.choice(mapping.get("mode"), what + " mode", SinkSpec.Mode.class);
        List<String> uniqueKey = incremental == null || incremental.strategy() == Incremental.Strategy.APPEND
                ? List.of() : incremental.uniqueKey();
        List<String> key = mapping.get("key") == null ? uniqueKey : key(mapping.get("key"), what);
        if (mode == null && mapping.get("mode") == null) {
            // an incremental model folding by key is merged the same way into its target; anything else replaced
            mode = uniqueKey.isEmpty() ? SinkSpec.Mode.REPLACE : SinkSpec.Mode.MERGE;
        }
        if (mode == SinkSpec.Mode.MERGE && key.isEmpty()) {
            fields.problem(mapping.get("mode") == null ? location : fields.at(mapping.get("mode")), "Cannot read %s: "
                    + "mode merge needs the columns identifying a row; set key: [column, ...] or use mode: replace",
                    what);
        }
        SinkSettings settings = type == null ? null
                : type.parse(SourceConfig.sink(fields, mapping, what, location));
        if (problems.size() > before || settings == null || mode == null) {
            return null;
        }
        return new SinkSpec(mode, mode == SinkSpec.Mode.REPLACE && mapping.get("key") == null ? List.of() : key,
                settings, location);
    }

    private SinkType type(YamlNode.Mapping mapping, String what, Location location) {
        YamlNode node = mapping.get("type");
        if (node == null) {
            fields.problem(location, "Cannot read %s: type is missing; set type: to one of %s", what,
                    SinkTypes.names());
            return null;
        }
        String word = fields.string(node, what + " type");
        if (word == null) {
            return null;
        }
        SinkType type = SinkTypes.of(word).orElse(null);
        if (type == null) {
            fields.problem(fields.at(node), "Cannot read %s: unknown type '%s'; valid types are %s%s", what, word,
                    SinkTypes.names(), Names.didYouMean(word, SinkTypes.types()));
        }
        return type;
    }

    private List<String> key(YamlNode node, String what) {
        List<String> columns = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        for (YamlNode item : items) {
            String column = fields.string(item, what + " key (a column or a list of columns)");
            if (column != null) {
                columns.add(column);
            }
        }
        return columns;
    }
}
