package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A value taken from the environment through {@code ${env:NAME}}: it lives only in memory. Wherever text that may
 * hold it is written (catalog, events, docs, messages), {@link #hide} puts its placeholder back instead.
 *
 * @param name the environment variable's name
 * @param value its value, never empty
 */
public record Secret(String name, String value) {
    public Secret {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
    }

    /** What the secret is written as instead of its value: the reference that produced it. */
    public String placeholder() {
        return "${env:" + name + "}";
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
