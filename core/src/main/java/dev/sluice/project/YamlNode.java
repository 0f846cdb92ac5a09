package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A YAML value with the line and column it starts at. Jackson's JsonNode forgets positions, and every
 * message about a project file must point at the offending line, hence this small tree of our own.
 */
sealed interface YamlNode {

    int line();

    int column();

    /** A short word for messages: "a map", "a list", "a string"... */
    String kind();

    /** A mapping; keys keep their file order. */
    record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kind() {
            return "a map";
        }

        YamlNode get(String key) {
            Entry entry = entries.get(key);
            return entry == null ? null : entry.value();
        }
    }

    /** One key of a mapping, located at the key (where a reader looks for it). */
    record Entry(String key, YamlNode value, int line, int column) {
        public Entry {
            requireNonNull(key, "key");
            requireNonNull(value, "value");
        }
    }

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar: {@link Type} says how YAML typed it, {@code text} is the value as written (after quoting).
     */
    record Scalar(Type type, String text, int line, int column) implements YamlNode {
        enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

        public Scalar {
            requireNonNull(type, "type");
            requireNonNull(text, "text");
        }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case DECIMAL -> "a decimal number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }

        /** For booleans: YAML 1.1 spells true as true, yes, on... */
        boolean booleanValue() {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "on" -> true;
                default -> false;
            };
        }

        Scalar withText(String newText) {
            return new Scalar(type, newText, line, column);
        }
    }
}
