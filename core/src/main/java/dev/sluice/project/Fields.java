package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of YAML values for one file, reporting a located problem (and returning null) for a value of the
 * wrong shape, so that parsing goes on and every problem is found in one pass.
 */
final class Fields {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path file;
    private final Problems problems;
    private final ErrorCode code;

    Fields(Path file, Problems problems, ErrorCode code) {
        this.file = file;
        this.problems = problems;
        this.code = code;
    }

    Fields withCode(ErrorCode newCode) {
        return new Fields(file, problems, newCode);
    }

    Path file() {
        return file;
    }

    Location at(YamlNode node) {
        return new Location(file, node.line(), node.column());
    }

    Location at(YamlNode.Entry entry) {
        return new Location(file, entry.line(), entry.column());
    }

    /** The text with the secrets resolved from the environment so far replaced by their placeholders. */
    String hideSecrets(String text) {
        return problems.redact(text);
    }

    void problem(Location location, String format, Object... args) {
        problems.add(code, location, format, args);
    }

    /** The node as plain Java values (maps, lists, typed scalars), or null after reporting a bad scalar. */
    Object plain(YamlNode node, String what) {
        if (node instanceof YamlNode.Mapping mapping) {
            java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            mapping.entries().values().forEach(entry -> map.put(entry.key(), plain(entry.value(), what)));
            return map;
        }
        if (node instanceof YamlNode.Sequence sequence) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            sequence.items().forEach(item -> list.add(plain(item, what)));
            return list;
        }
        try {
            return ParameterValues.fromYaml((YamlNode.Scalar) node);
        } catch (ParameterValues.InvalidValue e) {
            problem(at(node), "Cannot read %s: %s", what, e.getMessage());
            return null;
        }
    }

    /** A {@code quality:} list: one rule config per item, each located at its item; empty for null. */
    List<RuleConfig> rules(YamlNode node, String what) {
        List<RuleConfig> rules = new java.util.ArrayList<>();
        if (node == null) {
            return rules;
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            problem(at(node), "Cannot read %s: expected a list of rules, found %s", what, node.kind());
            return rules;
        }
        for (YamlNode item : sequence.items()) {
            YamlNode.Mapping rule = mapping(item, what + " rule");
            if (rule != null) {
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> spec = (java.util.Map<String, Object>) plain(rule, what + " rule");
                rules.add(new RuleConfig(spec, at(item)));
            }
        }
        return rules;
    }

    /** The node as a mapping, or null after reporting that it is not one. */
    YamlNode.Mapping mapping(YamlNode node, String what) {
        if (node instanceof YamlNode.Mapping mapping) {
            return mapping;
        }
        problem(at(node), "Cannot read %s: expected a map of keys, found %s", what, node.kind());
        return null;
    }

    /** Reports every key of the mapping that is not one of the valid ones. */
    void checkKeys(YamlNode.Mapping mapping, String what, List<String> valid) {
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!valid.contains(entry.key())) {
                problem(at(entry), "Cannot read %s: unknown key '%s'; valid keys are %s", what, entry.key(), String.join(", ", valid));
            }
        }
    }

    String string(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.STRING) {
            return scalar.text();
        }
        problem(at(node), "Cannot read %s: expected a string, found %s", what, node.kind());
        return null;
    }

    /** A string that must be a plain SQL identifier, so that it can be written unquoted. */
    String identifier(YamlNode node, String what) {
        String text = string(node, what);
        if (text != null && !IDENTIFIER.matcher(text).matches()) {
            problem(at(node), "Cannot read %s: '%s' is not a plain identifier; use letters, digits and _, not starting with a digit", what, text);
            return null;
        }
        return text;
    }

    /** A column's {@code mask:} (hash, redact, null or partial); null after reporting anything else at its line. */
    Mask mask(YamlNode node, String what) {
        String word = node instanceof YamlNode.Scalar scalar ? scalar.text() : null;
        Mask mask = word == null ? null : Mask.of(word);
        if (mask == null) {
            problem(at(node), "Cannot read %s mask: '%s' is not a mask; use one of hash, redact, null, partial", what,
                    word == null ? "(a list or mapping)" : word);
        }
        return mask;
    }

    Boolean bool(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.BOOLEAN) {
            return scalar.booleanValue();
        }
        problem(at(node), "Cannot read %s: expected true or false, found %s", what, node.kind());
        return null;
    }

    /** An integer of at least {@code min}. */
    Long integer(YamlNode node, String what, long min) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.INTEGER) {
            Long value = null;
            try {
                value = Long.valueOf(scalar.text());
            } catch (NumberFormatException e) {
                // fall through: YAML also accepts 0x1F, 1_000 and numbers beyond a long
            }
            if (value == null) {
                problem(at(node), "Cannot read %s: '%s' is not a decimal integer in the range of a 64-bit integer", what, scalar.text());
                return null;
            }
            if (value < min) {
                problem(at(node), "Cannot read %s: %d is below the minimum %d", what, value, min);
                return null;
            }
            return value;
        }
        problem(at(node), "Cannot read %s: expected an integer, found %s", what, node.kind());
        return null;
    }

    /** A number between 0 and 1 inclusive. */
    Double fraction(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar
                && (scalar.type() == YamlNode.Scalar.Type.INTEGER || scalar.type() == YamlNode.Scalar.Type.DECIMAL)) {
            BigDecimal value;
            try {
                value = new BigDecimal(scalar.text());
            } catch (NumberFormatException e) {
                value = null;
            }
            if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
                problem(at(node), "Cannot read %s: '%s' is not a fraction between 0 and 1", what, scalar.text());
                return null;
            }
            return value.doubleValue();
        }
        problem(at(node), "Cannot read %s: expected a number between 0 and 1, found %s", what, node.kind());
        return null;
    }

    /** One of the enum's constants, written in lower case. */
    <E extends Enum<E>> E choice(YamlNode node, String what, Class<E> type) {
        List<String> valid = Arrays.stream(type.getEnumConstants()).map(Fields::lowerName).toList();
        String text = node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL ? scalar.text() : null;
        if (text != null) {
            for (E constant : type.getEnumConstants()) {
                if (lowerName(constant).equals(text.toLowerCase(Locale.ROOT))) {
                    return constant;
                }
            }
            problem(at(node), "Cannot read %s: unknown value '%s'; valid values are %s", what, text, String.join(", ", valid));
            return null;
        }
        problem(at(node), "Cannot read %s: expected one of %s, found %s", what, String.join(", ", valid), node.kind());
        return null;
    }

    static String lowerName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
