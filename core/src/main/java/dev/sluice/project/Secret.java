package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A value taken from the environment through {@code ${env:NAME}} or from an owner-only file through
 * {@code ${file:path}}: it lives only in memory. Wherever text that may hold it is written (catalog, events, docs,
 * messages), {@link #hide} puts its placeholder back instead.
 *
 * @param name the environment variable's name, or the file's path as written
 * @param value its value, never empty
 * @param origin where the value was read from
 */
public record Secret(String name, String value, Origin origin) {
    /** Where a secret's value comes from: the word before the colon of its reference. */
    public enum Origin {
        ENV("env"), FILE("file");

        private final String prefix;

        Origin(String prefix) {
            this.prefix = prefix;
        }
    }

    public Secret {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        requireNonNull(origin, "origin");
    }

    /** A secret from the environment variable {@code name}. */
    public Secret(String name, String value) {
        this(name, value, Origin.ENV);
    }

    /** What the secret is written as instead of its value: the reference that produced it. */
    public String placeholder() {
        return "${" + origin.prefix + ":" + name + "}";
    }

    /** True when the text is only secret references ({@code ${env:NAME}} or {@code ${file:path}}), at least one. */
    static boolean onlyReferences(String text) {
        return text != null && text.matches("(\\$\\{(env|file):[^}]*})+");
    }

    /**
     * The text with each secret replaced by its placeholder, in every form a value takes on its way out: plain,
     * inside a SQL string literal ({@code '} doubled), a SQL identifier ({@code "} doubled) or a JSON string.
     */
    static String hide(String text, List<Secret> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        // Longest first: a secret containing another is replaced whole.
        List<Secret> ordered = new ArrayList<>(secrets);
        ordered.sort(Comparator.comparingInt((Secret s) -> s.value().length()).reversed());
        String result = text;
        for (Secret secret : ordered) {
            for (String form : forms(secret.value())) {
                result = result.replace(form, secret.placeholder());
            }
        }
        return result;
    }

    private static Set<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(value.replace("'", "''"));
        forms.add(value.replace("\"", "\"\""));
        forms.add(json(value));
        forms.add(json(value.replace("'", "''")));
        return forms;
    }

    /** The value as it appears inside a JSON string (without the quotes). */
    static String json(String value) {
        StringBuilder json = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.toString();
    }
}
