package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Replaces {@code ${name}} in a model's SQL with the parameter's value as a typed SQL literal. Positions in
 * messages are those of the original file. A var holding a secret is replaced by a read of its session variable
 * ({@link Project#secretVariable}) instead, so that its value is in no SQL text: not in the catalog, the events, the
 * docs or a view's definition.
 */
final class ParameterSubstitution {
    private final Map<String, Object> values;
    private final Set<String> secretVars;
    private final boolean valuesKnown;
    private final Problems problems;
    /** How the project's engine reads a session variable in SQL ({@link EngineTraits#readVariable}). */
    private final UnaryOperator<String> readVariable;
    /** The parameter names some SQL read, defined or not. */
    private final Set<String> referenced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param values parameter values (null values allowed: they render as NULL)
     * @param secretVars the names of the values that hold a secret
     * @param valuesKnown false when sluice.yml could not be read, so that every parameter is not reported undefined
     * @param readVariable how the project's engine reads a session variable in SQL
     */
    ParameterSubstitution(Map<String, Object> values, Set<String> secretVars, boolean valuesKnown, Problems problems,
            UnaryOperator<String> readVariable) {
        this.values = values;
        this.secretVars = Set.copyOf(secretVars);
        this.valuesKnown = valuesKnown;
        this.problems = problems;
        this.readVariable = readVariable;
    }

    /** The text with each {@code ${name}} from {@code start} on replaced; problems are reported at file positions. */
    String substitute(String text, int start, Path file) {
        return substitute(text, start, file, false);
    }

    /** As {@link #substitute(String, int, Path)}; a windowed model may also use {@link TimeWindow#BOUNDS}. */
    String substitute(String text, int start, Path file, boolean windowed) {
        return substitute(text, start, file, windowed, null);
    }

    /**
     * As {@link #substitute(String, int, Path, boolean)}; {@code secretsRefused} is null where a secret var may be
     * read (the SQL runs only in sessions that set its variable), else why not and what to do instead.
     */
    String substitute(String text, int start, Path file, boolean windowed, String secretsRefused) {
        return substitute(text, start, offset -> locate(file, text, offset), windowed, secretsRefused);
    }

    /**
     * The text of one value written in YAML (a quality rule's SQL, a when: condition), with each {@code ${name}}
     * replaced; problems are reported at the value's location.
     */
    String substituteValue(String text, Location location, boolean windowed, String secretsRefused) {
        return substitute(text, 0, offset -> location, windowed, secretsRefused);
    }

    /**
     * A quality rule with vars substituted in its SQL ({@code expression:} and {@code sql:}), as in a model's; rules
     * run in the sessions that build models, so a secret var is read from its session variable.
     */
    RuleConfig substituteRule(RuleConfig rule) {
        Map<String, Object> spec = new LinkedHashMap<>(rule.spec());
        for (String key : List.of("expression", "sql")) {
            Object value = spec.get(key);
            if (value instanceof String text) {
                spec.put(key, substituteValue(text, rule.location(), false, null));
            } else if (value instanceof Map<?, ?> options && options.get(key) instanceof String text) {
                Map<Object, Object> substituted = new LinkedHashMap<>(options);
                substituted.put(key, substituteValue(text, rule.location(), false, null));
                spec.put(key, substituted);
            }
        }
        return new RuleConfig(spec, rule.location());
    }

    private String substitute(String text, int start, IntFunction<Location> locator, boolean windowed,
            String secretsRefused) {
        StringBuilder result = new StringBuilder(text.length());
        result.append(text, 0, start);
        int position = start;
        while (true) {
            int open = text.indexOf("${", position);
            if (open < 0) {
                result.append(text, position, text.length());
                return result.toString();
            }
            result.append(text, position, open);
            int close = text.indexOf('}', open + 2);
            Location location = locator.apply(open);
            if (close < 0) {
                problems.add(ErrorCode.PARAMETER_INVALID, location,
                        "Cannot substitute parameter: '${' has no closing '}'; write ${name}");
                result.append(text, open, text.length());
                return result.toString();
            }
            String name = text.substring(open + 2, close);
            result.append(replacement(name, location, text.substring(open, close + 1), windowed, secretsRefused));
            position = close + 1;
        }
    }

    private String replacement(String name, Location location, String original, boolean windowed,
            String secretsRefused) {
        if (TimeWindow.BOUNDS.contains(name) && !values.containsKey(name)) {
            if (windowed) {
                return "CAST(" + readVariable.apply(name) + " AS TIMESTAMP)";
            }
            problems.add(ErrorCode.PARAMETER_INVALID, location, "Cannot substitute parameter %s: the engine provides it "
                    + "only to windowed models; declare the model's time window (time: { column: ..., grain: ..., "
                    + "start: ... }) or define %s in vars", original, name);
            return original;
        }
        if (name.startsWith("env:") || name.startsWith("file:")) {
            problems.add(ErrorCode.PARAMETER_INVALID, location,
                    "Cannot substitute %s in a model: environment variables hold secrets, which belong in sluice.yml "
                            + "(a source's settings), never in model SQL; read the value through a source instead", original);
            return original;
        }
        if (!Fields.IDENTIFIER.matcher(name).matches()) {
            problems.add(ErrorCode.PARAMETER_INVALID, location,
                    "Cannot substitute parameter %s: '%s' is not a parameter name; use letters, digits and _, not starting with a digit",
                    original, name);
            return original;
        }
        referenced.add(name);
        if (secretVars.contains(name)) {
            if (secretsRefused != null) {
                problems.add(ErrorCode.PARAMETER_INVALID, location, "Cannot substitute parameter %s: its value comes "
                        + "from the environment (a secret), %s", original, secretsRefused);
                return original;
            }
            // The type as a literal of the value would have: a secret shaped like a date is a DATE.
            String type = values.get(name) instanceof LocalDate ? "DATE" : "VARCHAR";
            return "CAST(" + readVariable.apply(Project.secretVariable(name)) + " AS " + type + ")";
        }
        if (values.containsKey(name)) {
            return ParameterValues.literal(values.get(name));
        }
        if (valuesKnown) {
            String defined = values.isEmpty() ? "none" : String.join(", ", new TreeSet<>(values.keySet()));
            problems.add(ErrorCode.PARAMETER_INVALID, location,
                    "Cannot substitute parameter ${%s}: it is not defined (defined parameters: %s); add it to vars in "
                            + "sluice.yml or pass --var %s=VALUE", name, defined, name);
        }
        return original;
    }

    /** The names of the parameters that the SQL substituted so far reads. */
    Set<String> referenced() {
        return Set.copyOf(referenced);
    }

    /** The 1-based line and column of an offset in the text. */
    static Location locate(Path file, String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(file, line, offset - lineStart + 1);
    }
}
