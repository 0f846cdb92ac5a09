package dev.sluice.connect;

import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the settings of a {@code type: synthetic} source. */
final class SyntheticConfigParser {
    static final List<String> KEYS = List.of("type", "rows", "seed", "columns", "quality", "pii");
    static final List<String> GENERATORS = List.of("sequence", "uniform", "choice", "date", "timestamp", "text",
            "reference");
    static final List<String> GENERATOR_OPTIONS = List.of("min", "max", "values", "start", "end", "null_fraction",
            "prefix");
    static final List<String> COLUMN_KEYS = List.of("type", "generator", "min", "max", "values", "start", "end",
            "null_fraction", "prefix", "pii", "description", "mask");
    private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT",
            "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT1", "INT2", "INT4", "INT8",
            "SHORT", "LONG", "SIGNED");

    private SyntheticConfigParser() {
    }

    static SourceSpec.Synthetic parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        Long rows = null;
        if (!config.has("rows")) {
            config.problem(null, "Cannot read %s: rows is missing; set rows: to the number of rows to generate", what);
        } else {
            rows = config.integer("rows", 0);
        }
        Long seed = config.has("seed") ? config.integer("seed", Long.MIN_VALUE) : Long.valueOf(42);
        if (!config.has("columns")) {
            config.problem(null, "Cannot read %s: columns is missing; list the columns to generate, such as "
                    + "columns: { id: { type: BIGINT } }", what);
            return null;
        }
        SourceConfig columnMapping = config.mapping("columns", what + " columns");
        if (columnMapping == null) {
            return null;
        }
        if (columnMapping.keys().isEmpty()) {
            config.problem("columns", "Cannot read %s: columns is empty; list at least one column", what);
        }
        List<SourceSpec.SyntheticColumn> columns = new ArrayList<>();
        boolean complete = true;
        for (String name : columnMapping.keys()) {
            SourceSpec.SyntheticColumn column = column(columnMapping, name, what);
            if (column == null) {
                complete = false;
            } else {
                columns.add(column);
            }
        }
        if (rows == null || seed == null || !complete || columns.isEmpty()) {
            return null;
        }
        return new SourceSpec.Synthetic(rows, seed, columns);
    }

    private static SourceSpec.SyntheticColumn column(SourceConfig columns, String name, String sourceWhat) {
        String what = sourceWhat + " column " + name;
        SourceConfig body = columns.mapping(name, what);
        if (body == null) {
            return null;
        }
        body.checkKeys(COLUMN_KEYS);
        if (!body.has("type")) {
            body.problem(null, "Cannot read %s: type is missing; set type: to a DuckDB type such as BIGINT or "
                    + "VARCHAR", what);
            return null;
        }
        String type = body.string("type");
        if (type == null) {
            return null;
        }
        String generator;
        if (!body.has("generator")) {
            if (!INTEGER_TYPES.contains(type.strip().toUpperCase(Locale.ROOT))) {
                body.problem(null, "Cannot read %s: generator is missing (only integer columns default to "
                        + "sequence); set generator: to one of %s", what, String.join(", ", GENERATORS));
                return null;
            }
            generator = "sequence";
        } else {
            generator = body.string("generator");
            if (generator == null) {
                return null;
            }
            if (!GENERATORS.contains(generator)) {
                body.problem("generator", "Cannot read %s: unknown generator '%s'; valid generators are %s",
                        what, generator, String.join(", ", GENERATORS));
                return null;
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        boolean valid = true;
        for (String key : GENERATOR_OPTIONS) {
            if (body.has(key)) {
                Object value = option(body, key, what);
                if (value == null) {
                    valid = false;
                } else {
                    options.put(key, value);
                }
            }
        }
        return valid && checkOptions(body, generator, options, what)
                ? new SourceSpec.SyntheticColumn(name, type, generator, options)
                : null;
    }

    /** The option as Long, BigDecimal, Boolean, LocalDate, String or a list of those; null after a problem. */
    private static Object option(SourceConfig body, String key, String what) {
        String optionWhat = what + " " + key;
        if (body.isList(key)) {
            if (!key.equals("values")) {
                body.problem(key, "Cannot read %s: expected a single value, found a list", optionWhat);
                return null;
            }
            return body.scalars(key, optionWhat);
        }
        if (key.equals("values")) {
            body.problem(key, "Cannot read %s: expected a list such as [placed, shipped], found %s", optionWhat,
                    body.kind(key));
            return null;
        }
        return body.scalar(key, optionWhat);
    }

    private static boolean checkOptions(SourceConfig body, String generator, Map<String, Object> options,
            String what) {
        boolean valid = true;
        List<String> required = switch (generator) {
            case "choice" -> List.of("values");
            case "uniform" -> List.of("min", "max");
            case "reference" -> List.of("max");
            default -> List.of();
        };
        for (String key : required) {
            if (!options.containsKey(key)) {
                body.problem(null, "Cannot read %s: generator %s needs %s; set %s:", what, generator, key, key);
                valid = false;
            }
        }
        if (options.get("values") instanceof List<?> values && values.isEmpty()) {
            body.problem(null, "Cannot read %s: values is empty; list at least one value", what);
            valid = false;
        }
        Object nullFraction = options.get("null_fraction");
        if (nullFraction != null && !isFraction(nullFraction)) {
            body.problem(null, "Cannot read %s: null_fraction %s is not a number between 0 and 1", what,
                    nullFraction);
            valid = false;
        }
        BigDecimal min = number(options.get("min"));
        BigDecimal max = number(options.get("max"));
        if (min != null && max != null && min.compareTo(max) > 0) {
            body.problem(null, "Cannot read %s: min %s is above max %s; swap them", what, min.toPlainString(),
                    max.toPlainString());
            valid = false;
        }
        return valid;
    }

    private static boolean isFraction(Object value) {
        BigDecimal number = number(value);
        return number != null && number.signum() >= 0 && number.compareTo(BigDecimal.ONE) <= 0;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        return value instanceof BigDecimal number ? number : null;
    }
}
