package dev.sluice.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the values of one rule's configuration for {@link RuleParser}: options, texts, lists, numbers, fractions,
 * durations, columns and severity, each refused with an {@link Invalid} that says what the rule needs.
 */
final class RuleArguments {
    private static final Pattern DURATION = Pattern.compile(
            "(\\d+)\\s*(second|minute|hour|day|week)s?", Pattern.CASE_INSENSITIVE);

    /** A problem in one rule; carries its message to the collecting loop. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private RuleArguments() {
    }

    static Severity severity(Map<String, Object> spec) {
        if (spec.containsKey("severity") && spec.containsKey("on_fail")) {
            throw new Invalid("'severity' and 'on_fail' mean the same; keep one");
        }
        Object value = spec.containsKey("severity") ? spec.get("severity") : spec.getOrDefault("on_fail", "fail");
        return switch (String.valueOf(value).toLowerCase(Locale.ROOT)) {
            case "fail", "error" -> Severity.FAIL;
            case "warn" -> Severity.WARN;
            case "quarantine" -> Severity.QUARANTINE;
            default -> throw new Invalid("severity '" + value + "' is not one of fail, warn, quarantine");
        };
    }

    static Long count(Map<String, Object> spec, String key) {
        if (!spec.containsKey(key)) {
            return null;
        }
        double value = number(spec, key, 0, key);
        if (value < 0 || value != Math.floor(value)) {
            throw new Invalid("'" + key + "' must be a whole number of rows, 0 or more, not '" + spec.get(key) + "'");
        }
        return (long) value;
    }

    static Double fraction(Map<String, Object> spec, String key) {
        if (!spec.containsKey(key)) {
            return null;
        }
        double value = number(spec, key, 0, key);
        if (value < 0 || value > 1) {
            throw new Invalid("'" + key + "' must be a fraction between 0 and 1, not '" + spec.get(key) + "'");
        }
        return value;
    }

    static double number(Map<String, Object> options, String key, double fallback, String type) {
        Object value = options.get(key);
        if (value == null) {
            if (options.containsKey(key) || fallback < 0) {
                throw new Invalid(type + " needs a number for '" + key + "'");
            }
            return fallback;
        }
        try {
            return Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            throw new Invalid("'" + key + "' must be a number, not '" + value + "'");
        }
    }

    static long seconds(String duration) {
        Matcher matcher = DURATION.matcher(duration.trim());
        if (!matcher.matches()) {
            throw new Invalid("max_age '" + duration + "' is not a duration such as '6 hours' or '2 days'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return amount * switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "second" -> 1L;
            case "minute" -> 60L;
            case "hour" -> 3600L;
            case "day" -> 86_400L;
            default -> 604_800L;
        };
    }

    /** Columns given as one name, a list of names, or {columns: ...}. */
    static List<String> columns(Object argument, String type) {
        Object value = argument instanceof Map<?, ?> map ? options(argument, type, "columns", "column")
                .getOrDefault("columns", map.get("column")) : argument;
        List<String> columns = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> columns.add(String.valueOf(item)));
        } else if (value != null) {
            columns.add(value.toString());
        }
        if (columns.isEmpty() || columns.stream().anyMatch(String::isBlank)) {
            throw new Invalid(type + " needs a column name or a list of them");
        }
        return columns;
    }

    static Map<String, Object> options(Object argument, String type, String... keys) {
        if (!(argument instanceof Map<?, ?> map)) {
            throw new Invalid(type + " needs options " + List.of(keys) + ", as a map");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!List.of(keys).contains(key)) {
                throw new Invalid("unknown option '" + key + "' for " + type + "; valid: " + String.join(", ", keys));
            }
            options.put(key, entry.getValue());
        }
        return options;
    }

    static String text(Map<String, Object> options, String key, String type) {
        Object value = options.get(key);
        if (value == null || value instanceof Map || value instanceof List || value.toString().isBlank()) {
            throw new Invalid(type + " needs '" + key + "'");
        }
        return value.toString();
    }

    static List<?> list(Map<String, Object> options, String key, String type) {
        if (!(options.get(key) instanceof List<?> values) || values.isEmpty()) {
            throw new Invalid(type + " needs '" + key + "': a non-empty list");
        }
        return values;
    }

    static String scalar(Object argument, String type) {
        if (argument == null || argument instanceof Map || argument instanceof List || argument.toString().isBlank()) {
            throw new Invalid(type + " needs its SQL as text");
        }
        return argument.toString();
    }
}
