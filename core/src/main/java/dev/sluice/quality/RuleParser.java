package dev.sluice.quality;

import static dev.sluice.quality.RuleArguments.columns;
import static dev.sluice.quality.RuleArguments.count;
import static dev.sluice.quality.RuleArguments.fraction;
import static dev.sluice.quality.RuleArguments.list;
import static dev.sluice.quality.RuleArguments.number;
import static dev.sluice.quality.RuleArguments.options;
import static dev.sluice.quality.RuleArguments.scalar;
import static dev.sluice.quality.RuleArguments.seconds;
import static dev.sluice.quality.RuleArguments.severity;
import static dev.sluice.quality.RuleArguments.text;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import dev.sluice.project.Names;
import dev.sluice.project.RuleConfig;
import dev.sluice.quality.RuleArguments.Invalid;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads rule configurations into {@link Rule}s, collecting every problem with its location instead of stopping
 * at the first.
 */
public final class RuleParser {
    static final List<String> TYPES = List.of("not_null", "unique", "accepted_values", "range", "regex",
            "relationships", "row_count", "freshness", "schema", "expression", "sql", "statistic", "anomaly");
    static final List<String> COMMON = List.of("name", "description", "severity", "on_fail", "max_fail_count",
            "max_fail_fraction", "warn_fail_count", "warn_fail_fraction", "scope");

    /** Rules and the problems found while reading them. */
    public record Result(List<Rule> rules, List<String> problems) {
        public Result {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private RuleParser() {
    }

    /**
     * Reads the rules of one model or source, compiled to the SQL of {@code dialect} (the engine that runs them);
     * {@code owner} names it in messages ({@code model orders}), and {@code relations} gives the quoted relation of a
     * model or source name (null when there is none).
     */
    public static Result parse(String owner, List<RuleConfig> configs, UnaryOperator<String> relations,
            Dialect dialect) {
        return parse(owner, configs, relations, null, name -> null, dialect);
    }

    /**
     * As {@link #parse(String, List, UnaryOperator)}, and checks the columns each rule names: {@code columns} are
     * those of the checked model or source, {@code columnsOf} gives those of a relationships target by name; null
     * where they are not known (nothing is checked then). A column that is not there is a problem at the rule, with
     * the columns that are and a did-you-mean.
     */
    public static Result parse(String owner, List<RuleConfig> configs, UnaryOperator<String> relations,
            List<String> columns, Function<String, List<String>> columnsOf, Dialect dialect) {
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (RuleConfig config : configs) {
            index++;
            String where = config.location() + " (quality rule " + index + " of " + owner + ")";
            try {
                List<Rule> parsed = parse(config, relations, dialect);
                checkColumns(owner, config.spec(), parsed.get(0).type(), columns, columnsOf);
                for (Rule rule : parsed) {
                    if (!names.add(rule.name().toLowerCase(Locale.ROOT))) {
                        throw new Invalid("two rules are named '" + rule.name() + "'; give one a different 'name'");
                    }
                    rules.add(rule);
                }
            } catch (Invalid e) {
                problems.add("Cannot read " + where + ": " + e.getMessage());
            }
        }
        return new Result(rules, problems);
    }

    private static List<Rule> parse(RuleConfig config, UnaryOperator<String> relations, Dialect dialect) {
        Map<String, Object> spec = config.spec();
        List<String> types = spec.keySet().stream().filter(key -> !COMMON.contains(key)).toList();
        if (types.size() != 1) {
            throw new Invalid(types.isEmpty()
                    ? "it names no rule type; use one of " + String.join(", ", TYPES)
                    : "it names several rule types " + types + "; write one rule per list item");
        }
        String type = types.get(0);
        Object argument = spec.get(type);
        Severity severity = severity(spec);
        Thresholds thresholds = new Thresholds(count(spec, "max_fail_count"), fraction(spec, "max_fail_fraction"),
                count(spec, "warn_fail_count"), fraction(spec, "warn_fail_fraction"));
        if (spec.containsKey("scope") && !List.of("slice", "table").contains(String.valueOf(spec.get("scope")))) {
            throw new Invalid("scope '" + spec.get("scope") + "' is not one of slice, table");
        }
        Rule.Scope scope = "table".equals(spec.get("scope")) ? Rule.Scope.TABLE : Rule.Scope.SLICE;
        if (scope == Rule.Scope.TABLE && severity == Severity.QUARANTINE) {
            throw new Invalid("scope table checks rows already published, which quarantine cannot set aside; use "
                    + "fail or warn, or scope slice");
        }
        String location = config.location().toString();
        List<Rule> rules = new ArrayList<>();
        if (type.equals("not_null")) {
            for (String column : columns(argument, type)) {
                Rule.Check check = new Rule.RowCondition(Sql.identifier(column) + " IS NULL", List.of(),
                        column + " is null");
                rules.add(new Rule(name(spec, "not_null(" + column + ")"), type, severity, thresholds, check, location, scope));
            }
            if (spec.containsKey("name") && rules.size() > 1) {
                throw new Invalid("'name' names one rule, but not_null lists " + rules.size()
                        + " columns; split them or drop 'name'");
            }
            return rules;
        }
        Rule.Check check = check(type, argument, relations, dialect);
        if (severity == Severity.QUARANTINE && !(check instanceof Rule.RowCondition || check instanceof Rule.Query)) {
            throw new Invalid("severity quarantine needs a rule that selects rows, and " + type
                    + " checks the whole table; use fail or warn");
        }
        return List.of(new Rule(name(spec, defaultName(type, argument)), type, severity, thresholds, check, location, scope));
    }

    private static Rule.Check check(String type, Object argument, UnaryOperator<String> relations,
            Dialect dialect) {
        return switch (type) {
            case "unique" -> {
                List<String> columns = columns(argument, type);
                List<String> quoted = columns.stream().map(Sql::identifier).toList();
                String alias = "__sluice_duplicates_" + String.join("_", columns).replaceAll("\\W", "_");
                List<String> keys = new ArrayList<>();
                List<String> matches = new ArrayList<>();
                for (int i = 0; i < quoted.size(); i++) {
                    keys.add(quoted.get(i) + " AS __sluice_k" + i);
                    matches.add(alias + ".__sluice_k" + i + " = t." + quoted.get(i));
                }
                // The duplicated keys by aggregation, joined back: a hash aggregate, far cheaper than a window over
                // every row. As in SQL's UNIQUE, a key with a NULL in it equals no other key (NULLs are not_null's).
                String join = "LEFT JOIN (SELECT " + String.join(", ", keys) + " FROM " + Gate.RELATION + " WHERE "
                        + String.join(" AND ", quoted.stream().map(c -> c + " IS NOT NULL").toList()) + " GROUP BY ALL "
                        + "HAVING count(*) > 1) AS " + alias + " ON " + String.join(" AND ", matches);
                yield new Rule.RowCondition(alias + ".__sluice_k0 IS NOT NULL", List.of(join),
                        "duplicate " + String.join(", ", columns), null, columns.size() == 1 ? columns.get(0) : null);
            }
            case "accepted_values" -> {
                Map<String, Object> options = options(argument, type, "column", "values");
                String column = text(options, "column", type);
                List<?> values = list(options, "values", type);
                yield new Rule.RowCondition(Sql.identifier(column) + " NOT IN (" + String.join(", ",
                        values.stream().map(value -> literal(value, dialect)).toList()) + ")", List.of(),
                        column + " not in " + values);
            }
            case "range" -> range(options(argument, type, "column", "min", "max", "inclusive"), dialect);
            case "regex" -> {
                Map<String, Object> options = options(argument, type, "column", "pattern");
                String column = text(options, "column", type);
                String pattern = text(options, "pattern", type);
                try {
                    Pattern.compile(pattern);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new Invalid("pattern '" + pattern + "' is not a regular expression: " + e.getDescription());
                }
                yield new Rule.RowCondition(RegexCheck.failing("CAST(" + Sql.identifier(column) + " AS VARCHAR)",
                        pattern, dialect), List.of(), column + " does not match " + pattern);
            }
            case "relationships" -> {
                Map<String, Object> options = options(argument, type, "column", "to", "field");
                String column = text(options, "column", type);
                String to = text(options, "to", type);
                String field = options.containsKey("field") ? text(options, "field", type) : column;
                String target = relations.apply(to);
                if (target == null) {
                    throw new Invalid("relationships 'to' names '" + to + "', which is no model or source of the "
                            + "project; name one (as orders or marts.orders)");
                }
                String alias = "__sluice_" + (column + "_" + to).replaceAll("\\W", "_");
                // The field is qualified so that a name missing in the target is an error, not a silent
                // (correlated) reference to the checked relation's column that matches every row.
                String keys = "SELECT DISTINCT __sluice_to." + Sql.identifier(field) + " AS __sluice_k FROM " + target
                        + " AS __sluice_to";
                String join = "LEFT JOIN (" + keys + ") AS " + alias + " ON " + alias + ".__sluice_k = t."
                        + Sql.identifier(column);
                yield new Rule.RowCondition("t." + Sql.identifier(column) + " IS NOT NULL AND " + alias
                        + ".__sluice_k IS NULL",
                        List.of(join), column + " has no match in " + to + "." + field,
                        new Rule.Lookup("t." + Sql.identifier(column), keys));
            }
            case "row_count" -> {
                Map<String, Object> options = options(argument, type, "min", "max");
                yield bounds(Metric.rowCount(), options, type);
            }
            case "freshness" -> {
                Map<String, Object> options = options(argument, type, "column", "max_age");
                long seconds = seconds(text(options, "max_age", type));
                yield new Rule.Bounds(Metric.age(text(options, "column", type), dialect), null, (double) seconds);
            }
            case "schema" -> schema(argument);
            case "expression" -> {
                String expression = argument instanceof Map<?, ?>
                        ? text(options(argument, type, "expression"), "expression", type) : scalar(argument, type);
                yield new Rule.RowCondition("NOT (" + expression + ")", List.of(), "not " + expression);
            }
            case "sql" -> new Rule.Query(scalar(argument, type));
            case "statistic" -> {
                Map<String, Object> options = options(argument, type, "column", "metric", "q", "min", "max");
                yield bounds(metric(options, type, dialect), options, type);
            }
            case "anomaly" -> anomaly(options(argument, type, "metric", "column", "q", "k", "max_change",
                    "lookback", "min_history"), dialect);
            default -> throw new Invalid("unknown rule type '" + type + "'; use one of " + String.join(", ", TYPES));
        };
    }

    private static Rule.Check range(Map<String, Object> options, Dialect dialect) {
        String column = Sql.identifier(text(options, "column", "range"));
        Object inclusiveValue = options.getOrDefault("inclusive", Boolean.TRUE);
        if (!(inclusiveValue instanceof Boolean inclusive)) {
            throw new Invalid("range option 'inclusive' must be true or false, not '" + inclusiveValue + "'");
        }
        if (!options.containsKey("min") && !options.containsKey("max")) {
            throw new Invalid("range needs 'min', 'max' or both");
        }
        List<String> failing = new ArrayList<>();
        if (options.containsKey("min")) {
            failing.add(column + (inclusive ? " < " : " <= ") + bound(options.get("min"), dialect));
        }
        if (options.containsKey("max")) {
            failing.add(column + (inclusive ? " > " : " >= ") + bound(options.get("max"), dialect));
        }
        return new Rule.RowCondition(String.join(" OR ", failing), List.of(),
                options.get("column") + " outside " + (inclusive ? "[" : "(") + options.getOrDefault("min", "")
                        + ", " + options.getOrDefault("max", "") + (inclusive ? "]" : ")"));
    }

    /** Range bounds may be numbers or dates/strings (compared as the column's type). */
    private static String bound(Object value, Dialect dialect) {
        return value instanceof Number ? new BigDecimal(value.toString()).toPlainString() : literal(value, dialect);
    }

    /** A typed literal ({@link Sql#literal}), text written as the engine reads it back exactly. */
    private static String literal(Object value, Dialect dialect) {
        return value instanceof String text ? dialect.stringLiteral(text) : Sql.literal(value);
    }

    private static Rule.Check schema(Object argument) {
        Map<String, Object> options = options(argument, "schema", "columns", "allow_extra");
        Object columns = options.get("columns");
        Map<String, String> expected = new LinkedHashMap<>();
        if (columns instanceof Map<?, ?> map) {
            map.forEach((name, type) -> expected.put(String.valueOf(name), type == null ? null : type.toString()));
        } else if (columns instanceof List<?> list) {
            list.forEach(name -> expected.put(String.valueOf(name), null));
        } else {
            throw new Invalid("schema needs 'columns': a list of names or a map of name to type");
        }
        Object allowExtra = options.getOrDefault("allow_extra", Boolean.TRUE);
        if (!(allowExtra instanceof Boolean allow)) {
            throw new Invalid("schema option 'allow_extra' must be true or false, not '" + allowExtra + "'");
        }
        return new Rule.Schema(expected, allow);
    }

    private static Rule.Check anomaly(Map<String, Object> options, Dialect dialect) {
        Metric metric = metric(options, "anomaly", dialect);
        double sigmas = number(options, "k", 3.0, "anomaly");
        Double maxChange = options.containsKey("max_change") ? number(options, "max_change", 0, "anomaly") : null;
        int lookback = (int) number(options, "lookback", 10, "anomaly");
        int minHistory = (int) number(options, "min_history", 5, "anomaly");
        if (sigmas <= 0 || lookback < 1 || minHistory < 1 || minHistory > lookback) {
            throw new Invalid("anomaly needs k > 0 and 1 <= min_history <= lookback (k=" + sigmas + ", min_history="
                    + minHistory + ", lookback=" + lookback + ")");
        }
        if (maxChange != null && maxChange < 0) {
            throw new Invalid("anomaly option 'max_change' is a fraction of the last value, 0 or more, not '"
                    + options.get("max_change") + "'");
        }
        return new Rule.Anomaly(metric, sigmas, maxChange, lookback, minHistory);
    }

    private static Metric metric(Map<String, Object> options, String type, Dialect dialect) {
        String name = text(options, "metric", type);
        boolean needsColumn = !name.equalsIgnoreCase("row_count");
        String column = needsColumn ? text(options, "column", type) : null;
        Double q = null;
        if (name.equalsIgnoreCase("quantile")) {
            q = number(options, "q", -1, type);
            if (q < 0 || q > 1) {
                throw new Invalid("metric quantile needs 'q' between 0 and 1");
            }
        }
        Metric metric = Metric.of(name, column, q, dialect);
        if (metric == null) {
            throw new Invalid("unknown metric '" + name + "'; use one of " + Metric.NAMES);
        }
        return metric;
    }

    private static Rule.Bounds bounds(Metric metric, Map<String, Object> options, String type) {
        Double min = options.containsKey("min") ? number(options, "min", 0, type) : null;
        Double max = options.containsKey("max") ? number(options, "max", 0, type) : null;
        if (min == null && max == null) {
            throw new Invalid(type + " needs 'min', 'max' or both");
        }
        return new Rule.Bounds(metric, min, max);
    }

    private static void checkColumns(String owner, Map<String, Object> spec, String type, List<String> columns,
            Function<String, List<String>> columnsOf) {
        Object argument = spec.get(type);
        List<String> named = new ArrayList<>();
        if (type.equals("schema")) {
            // a schema rule lists the columns it expects: finding them missing is its job, at run time
            return;
        } else if (argument instanceof Map<?, ?> map) {
            addDetail(named, map.get("column"));
            addDetail(named, map.get("columns"));
            if (type.equals("relationships")) {
                String to = String.valueOf(map.get("to"));
                String field = String.valueOf(map.containsKey("field") ? map.get("field") : map.get("column"));
                requireColumn(field, to, columnsOf.apply(to));
            }
        } else if (type.equals("not_null") || type.equals("unique")) {
            addDetail(named, argument);
        }
        for (String column : named) {
            requireColumn(column, owner, columns);
        }
    }

    private static void requireColumn(String column, String relation, List<String> columns) {
        if (columns == null || columns.stream().anyMatch(known -> known.equalsIgnoreCase(column))) {
            return;
        }
        String suggestion = Names.suggest(column, columns);
        throw new Invalid("column '" + column + "' is not a column of " + relation + " (its columns: "
                + String.join(", ", columns) + ")" + (suggestion == null ? "; name one of them"
                : "; did you mean '" + suggestion + "'?"));
    }

    private static String name(Map<String, Object> spec, String fallback) {
        Object name = spec.get("name");
        return name == null ? fallback : name.toString();
    }

    /** {@code type(metric, column)}: the metric and columns a rule names, when it names any. */
    private static String defaultName(String type, Object argument) {
        List<String> details = new ArrayList<>();
        if (argument instanceof Map<?, ?> map && !type.equals("schema")) {
            // A schema's columns are too many for a name.
            addDetail(details, map.get("metric"));
            addDetail(details, map.containsKey("column") ? map.get("column") : map.get("columns"));
        } else if (type.equals("unique")) {
            // Other rules given as text carry SQL, too long for a name.
            addDetail(details, argument);
        }
        return details.isEmpty() ? type : type + "(" + String.join(", ", details) + ")";
    }

    private static void addDetail(List<String> details, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(item -> details.add(String.valueOf(item)));
        } else if (value != null) {
            details.add(value.toString());
        }
    }
}
