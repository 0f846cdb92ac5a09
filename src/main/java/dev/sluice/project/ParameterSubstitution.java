package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Replaces {@code ${name}} in a model's SQL with the parameter's value as a typed SQL literal. Positions in
 * messages are those of the original file.
 */
final class ParameterSubstitution {
    private final Map<String, Object> values;
    private final boolean valuesKnown;
    private final Problems problems;

    /**
     * @param values parameter values (null values allowed: they render as NULL)
     * @param valuesKnown false when sluice.yml could not be read, so that every parameter is not reported undefined
     */
    ParameterSubstitution(Map<String, Object> values, boolean valuesKnown, Problems problems) {
        this.values = values;
        this.valuesKnown = valuesKnown;
        this.problems = problems;
    }

    /**
     * The engine's parameters of a windowed model: the bounds of the intervals a query builds, read from session
     * variables the engine sets before each query (so the SQL text, and its hash, is the same for every interval).
     */
    static final Map<String, String> WINDOW_PARAMETERS = Map.of(
            "window_start", "CAST(getvariable('window_start') AS TIMESTAMP)",
            "window_end", "CAST(getvariable('window_end') AS TIMESTAMP)");

    /** The text with each {@code ${name}} from {@code start} on replaced; problems are reported at file positions. */
    String substitute(String text, int start, Path file) {
        return substitute(text, start, file, false);
    }

    /** As {@link #substitute(String, int, Path)}; a windowed model may also use {@link #WINDOW_PARAMETERS}. */
    String substitute(String text, int start, Path file, boolean windowed) {
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
            Location location = locate(file, text, open);
            if (close < 0) {
                problems.add(ErrorCode.PARAMETER_INVALID, location,
                        "Cannot substitute parameter: '${' has no closing '}'; write ${name}");
                result.append(text, open, text.length());
                return result.toString();
            }
            String name = text.substring(open + 2, close);
            result.append(replacement(name, location, text.substring(open, close + 1), windowed));
            position = close + 1;
        }
    }

    private String replacement(String name, Location location, String original, boolean windowed) {
        if (WINDOW_PARAMETERS.containsKey(name) && !values.containsKey(name)) {
            if (windowed) {
                return WINDOW_PARAMETERS.get(name);
            }
            problems.add(ErrorCode.PARAMETER_INVALID, location, "Cannot substitute parameter %s: the engine provides it "
                    + "only to windowed models; declare the model's time window (time: { column: ..., grain: ..., "
                    + "start: ... }) or define %s in vars", original, name);
            return original;
        }
        if (name.startsWith("env:")) {
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
