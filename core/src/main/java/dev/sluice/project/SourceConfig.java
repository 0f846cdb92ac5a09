package dev.sluice.project;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One source's mapping in sluice.yml, as a connector reads it: typed reads by key that report a located problem
 * (file, line and column, and the source's name) and return null for a value of the wrong shape, so that parsing
 * goes on and every problem of the file is reported in one pass. Not thread-safe; valid only during
 * {@link SourceType#parse}.
 */
public final class SourceConfig {
    /** Keys every source may have, read by Sluice itself: its type, quality gates and personal-data tags. */
    public static final List<String> COMMON_KEYS = List.of("type", "quality", "pii", "mask");

    private final SourceParser parser;
    private final Fields fields;
    private final YamlNode.Mapping body;
    private final String name;
    private final String what;
    private final Location location;
    /** False for a mapping nested in the source's, where the common keys mean nothing. */
    private final boolean top;

    SourceConfig(SourceParser parser, Fields fields, YamlNode.Mapping body, String name, Location location) {
        this(parser, fields, body, name, "source " + name, location, true);
    }

    private SourceConfig(SourceParser parser, Fields fields, YamlNode.Mapping body, String name, String what,
            Location location, boolean top) {
        this.parser = parser;
        this.fields = fields;
        this.body = body;
        this.name = name;
        this.what = what;
        this.location = location;
        this.top = top;
    }

    /** Reads a settings mapping that is not a source (the project's {@code s3:}), named {@code what} in messages. */
    static SourceConfig settings(SourceParser parser, Fields fields, YamlNode.Mapping body, String what,
            Location location) {
        return new SourceConfig(parser, fields, body, what, what, location, false);
    }

    /**
     * The object storage settings for this source: the project's {@code s3:} with the source's own {@code s3:} over
     * it (endpoint, region, path style; the allowed buckets are the project's only).
     */
    public S3Settings s3() {
        S3Settings project = parser.s3();
        if (!has("s3")) {
            return project;
        }
        SourceConfig own = mapping("s3", what() + " s3");
        return own == null ? project : project.with(S3Settings.parse(own, false));
    }

    /**
     * A model's {@code sink:} mapping, read the way a connector reads its source's: {@code what} names it in
     * messages ({@code model orders sink}); it has no common source keys and no project paths.
     */
    static SourceConfig sink(Fields fields, YamlNode.Mapping body, String what, Location location) {
        return new SourceConfig(null, fields, body, what, what, location, false);
    }

    /** The source's name, {@code schema.table}. */
    public String name() {
        return name;
    }

    /**
     * How messages name what this mapping is: {@code source raw.orders}, or, for a nested mapping, what
     * {@link #mapping} was told.
     */
    public String what() {
        return what;
    }

    /** Where sluice.yml declares the source (or the nested mapping's key). */
    public Location location() {
        return location;
    }

    /** The keys the mapping sets, in file order. */
    public List<String> keys() {
        return List.copyOf(body.entries().keySet());
    }

    /** True when the mapping sets {@code key} to a mapping. */
    public boolean isMapping(String key) {
        return body.get(key) instanceof YamlNode.Mapping;
    }

    /** True when the mapping sets {@code key} to a list. */
    public boolean isList(String key) {
        return body.get(key) instanceof YamlNode.Sequence;
    }

    /** A short word for what {@code key} holds, for messages: "a map", "a list", "a string"...; null when absent. */
    public String kind(String key) {
        return has(key) ? body.get(key).kind() : null;
    }

    /**
     * The mapping under {@code key}, read with {@code what} naming it in messages; null when absent or not a mapping
     * (reported). Its {@link #location} is the key's.
     */
    public SourceConfig mapping(String key, String what) {
        YamlNode node = body.get(key);
        YamlNode.Mapping mapping = node == null ? null : fields.mapping(node, what);
        return mapping == null ? null
                : new SourceConfig(parser, fields, mapping, name, what, fields.at(body.entries().get(key)), false);
    }

    /** True when the mapping sets {@code key}. */
    public boolean has(String key) {
        return body.get(key) != null;
    }

    /**
     * Reports each key not in {@code valid} with the valid keys; for the source's own mapping the
     * {@link #COMMON_KEYS} are always valid and the closest key is suggested when it looks like a typo (not in
     * nested mappings, whose keys are often another vocabulary's: a generator's {@code mean} is no typo of
     * {@code min}).
     */
    public void checkKeys(List<String> valid) {
        List<String> all = new ArrayList<>(valid);
        if (top) {
            COMMON_KEYS.stream().filter(key -> !all.contains(key)).forEach(all::add);
        }
        for (YamlNode.Entry entry : body.entries().values()) {
            if (!all.contains(entry.key())) {
                fields.problem(fields.at(entry), "Cannot read %s: unknown key '%s'; valid keys are %s%s", what(),
                        entry.key(), String.join(", ", all), top ? Names.didYouMean(entry.key(), all) : "");
            }
        }
    }

    /** A string value; null when absent or not a string (reported). */
    public String string(String key) {
        return string(key, what() + " " + key);
    }

    /** A string value, named {@code what} in messages; null when absent or not a string (reported). */
    public String string(String key, String what) {
        return has(key) ? fields.string(body.get(key), what) : null;
    }

    /**
     * A string that must come from the environment ({@code ${env:NAME}}): a password, token or key. Null when absent,
     * or when written in clear text in sluice.yml (reported at the value: a secret must never sit in the file).
     */
    public String secret(String key) {
        String value = string(key);
        if (value != null && fields.hideSecrets(value).equals(value)) {
            problem(key, "Cannot read %s %s: a secret must not be written in sluice.yml; set it in an environment "
                    + "variable and write ${env:NAME}", what(), key);
            return null;
        }
        return value;
    }

    /** The text of a scalar of any type (a duration, a number), or null when absent; a list or map is reported. */
    public String text(String key) {
        YamlNode node = body.get(key);
        return node instanceof YamlNode.Scalar scalar ? scalar.text() : node == null ? null
                : fields.string(node, what() + " " + key);
    }

    /**
     * True when {@code key}'s value comes wholly from the environment ({@code ${env:NAME}}, one reference or several
     * and nothing else): a connector refuses a password written in clear text with it.
     */
    public boolean fromEnvironment(String key) {
        String value = has(key) && body.get(key) instanceof YamlNode.Scalar scalar ? scalar.text() : null;
        return value != null && !value.isEmpty()
                && Secret.onlyReferences(fields.hideSecrets(value));
    }

    /** True or false; null when absent or not a boolean (reported). */
    public Boolean bool(String key) {
        return has(key) ? fields.bool(body.get(key), what() + " " + key) : null;
    }

    /**
     * A scalar as a typed value (Long, BigDecimal, Boolean, LocalDate, String), named {@code what} in messages; null
     * when absent, null, a list or a map, or not a valid value (reported).
     */
    public Object scalar(String key, String what) {
        return has(key) ? scalar(body.get(key), what) : null;
    }

    /** The items of a list as typed values ({@link #scalar}); null when absent or after a reported problem. */
    public List<Object> scalars(String key, String what) {
        if (!(body.get(key) instanceof YamlNode.Sequence sequence)) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            Object value = scalar(item, what);
            if (value == null) {
                return null;
            }
            values.add(value);
        }
        return List.copyOf(values);
    }

    private Object scalar(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL) {
            try {
                return ParameterValues.fromYaml(scalar);
            } catch (ParameterValues.InvalidValue e) {
                fields.problem(fields.at(node), "Cannot read %s: %s; fix the value", what, e.getMessage());
                return null;
            }
        }
        fields.problem(fields.at(node), "Cannot read %s: expected a number, string or date, found %s", what,
                node.kind());
        return null;
    }

    /** An integer of at least {@code min}; null when absent or invalid (reported). */
    public Long integer(String key, long min) {
        return has(key) ? fields.integer(body.get(key), what() + " " + key, min) : null;
    }

    /** A number between 0 and 1; null when absent or invalid (reported). */
    public Double fraction(String key) {
        return has(key) ? fields.fraction(body.get(key), what() + " " + key) : null;
    }

    /** One of the enum's constants, written in lower case; null when absent or unknown (reported). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return has(key) ? fields.choice(body.get(key), what() + " " + key, type) : null;
    }

    /** A string or a list of strings, as a list (empty when absent); items that are not strings are reported. */
    public List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        YamlNode node = body.get(key);
        if (node != null) {
            for (YamlNode item : node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node)) {
                String value = fields.string(item, what() + " " + key);
                if (value != null) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** The value as plain Java values (maps, lists, strings, numbers, booleans, dates), or null when absent. */
    public Object plain(String key) {
        return has(key) ? fields.plain(body.get(key), what() + " " + key) : null;
    }

    /**
     * A path relative to the project folder, resolved and normalised; null when absent or when it leaves the project
     * folder and its allowed_paths (reported: sources read nothing else).
     */
    public Path path(String key) {
        YamlNode node = body.get(key);
        String written = string(key);
        if (written == null) {
            return null;
        }
        Path path;
        try {
            path = parser.root().resolve(written).normalize();
        } catch (InvalidPathException e) {
            fields.problem(fields.at(node), "Cannot read %s %s '%s': %s; fix the path", what(), key, written,
                    e.getReason());
            return null;
        }
        return parser.confined(path, written, node, what() + " " + key) ? path : null;
    }

    /**
     * Reports a problem at {@code key}'s value (at {@link #location} when {@code key} is null or absent). The message
     * follows "Cannot read source x: reason; fix".
     */
    public void problem(String key, String format, Object... args) {
        YamlNode node = key == null ? null : body.get(key);
        fields.problem(node == null ? location : fields.at(node), format, args);
    }

    /**
     * Reports a problem at {@code key} itself, where a whole setting is out of place (at {@link #location} if
     * absent).
     */
    public void problemAtKey(String key, String format, Object... args) {
        YamlNode.Entry entry = key == null ? null : body.entries().get(key);
        fields.problem(entry == null ? location : fields.at(entry), format, args);
    }
}
