package dev.sluice.project;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code time:} block of a model's front matter into a {@link TimeWindow}, reporting located problems. */
final class TimeWindowParser {
    static final List<String> KEYS = List.of("column", "input_column", "grain", "start", "lateness", "late_policy", "clock",
            "batch_size", "lookback");
    private static final Pattern SPAN = Pattern.compile("\\s*(\\d{1,9})\\s*([a-zA-Z]+)\\s*");
    private static final String UNITS = "second, minute, hour, day, week, month, year (or their plurals)";

    private final Fields fields;

    TimeWindowParser(Fields fields) {
        this.fields = fields;
    }

    /** The window, or null when the block has a problem (reported) or is absent. */
    TimeWindow parse(YamlNode node, Materialization materialized) {
        if (node == null) {
            return null;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "front matter time");
        if (mapping == null) {
            return null;
        }
        if (materialized != Materialization.INCREMENTAL) {
            fields.problem(fields.at(node), "Cannot read front matter: a time window needs materialized: incremental "
                    + "(a windowed model is built interval by interval); add it or remove the time block");
            return null;
        }
        fields.checkKeys(mapping, "front matter time", KEYS);
        String column = required(mapping, node, "column") ? fields.string(mapping.get("column"), "front matter time column")
                : null;
        String inputColumn = mapping.get("input_column") == null ? column
                : fields.string(mapping.get("input_column"), "front matter time input_column");
        TimeSpan grain = required(mapping, node, "grain") ? span(mapping.get("grain"), "grain", false) : null;
        LocalDateTime start = required(mapping, node, "start") ? start(mapping.get("start")) : null;
        TimeSpan lateness = mapping.get("lateness") == null ? TimeSpan.ZERO : span(mapping.get("lateness"), "lateness", true);
        TimeSpan lookback = mapping.get("lookback") == null ? TimeSpan.ZERO : span(mapping.get("lookback"), "lookback", true);
        TimeWindow.LatePolicy policy = mapping.get("late_policy") == null ? TimeWindow.LatePolicy.REPROCESS
                : fields.choice(mapping.get("late_policy"), "front matter time late_policy", TimeWindow.LatePolicy.class);
        TimeWindow.Clock clock = mapping.get("clock") == null ? TimeWindow.Clock.EVENT
                : fields.choice(mapping.get("clock"), "front matter time clock", TimeWindow.Clock.class);
        Long batchSize = mapping.get("batch_size") == null ? Long.valueOf(0)
                : fields.integer(mapping.get("batch_size"), "front matter time batch_size", 1);
        if (batchSize != null && batchSize > Integer.MAX_VALUE) {
            fields.problem(fields.at(mapping.get("batch_size")), "Cannot read front matter time batch_size: %d is too "
                    + "large; use at most %d intervals per query", batchSize, Integer.MAX_VALUE);
            batchSize = null;
        }
        if (grain != null && grain.calendar() && start != null
                && (start.getDayOfMonth() != 1 || !start.toLocalTime().equals(java.time.LocalTime.MIDNIGHT))) {
            fields.problem(fields.at(mapping.get("start")), "Cannot read front matter time start: a grain of %s counts "
                    + "calendar months, so the first interval must start on the first of a month at 00:00, not %s; "
                    + "write start: %s", grain, start, start.toLocalDate().withDayOfMonth(1));
            start = null;
        }
        if (column == null || inputColumn == null || grain == null || start == null || lateness == null || lookback == null || policy == null
                || clock == null || batchSize == null) {
            return null;
        }
        return new TimeWindow(column, inputColumn, grain, start, lateness, policy, clock, batchSize.intValue(), lookback);
    }

    private boolean required(YamlNode.Mapping mapping, YamlNode node, String key) {
        if (mapping.get(key) == null) {
            fields.problem(fields.at(node), "Cannot read front matter time: '%s' is missing; a time window needs column, "
                    + "grain and start (time: { column: event_ts, grain: 1 hour, start: 2024-01-01 })", key);
            return false;
        }
        return true;
    }

    /** A span such as {@code 1 hour}; {@code 0} alone is allowed where {@code zeroAllowed}. */
    private TimeSpan span(YamlNode node, String key, boolean zeroAllowed) {
        String what = "front matter time " + key;
        if (zeroAllowed && node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.INTEGER
                && scalar.text().equals("0")) {
            return TimeSpan.ZERO;
        }
        String text = node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL
                ? scalar.text() : null;
        Matcher matcher = text == null ? null : SPAN.matcher(text);
        TimeSpan.Unit unit = matcher != null && matcher.matches() ? unit(matcher.group(2)) : null;
        if (unit == null) {
            fields.problem(fields.at(node), "Cannot read %s: '%s' is not a length of time; write an amount and a unit "
                    + "such as '1 hour', '15 minutes' or '2 days' (units: %s)", what, text == null ? node.kind() : text,
                    UNITS);
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        if (amount == 0 && !zeroAllowed) {
            fields.problem(fields.at(node), "Cannot read %s: '%s' is empty; an interval must last at least one %s",
                    what, text, unit.name().toLowerCase(Locale.ROOT));
            return null;
        }
        return new TimeSpan(amount, unit);
    }

    private static TimeSpan.Unit unit(String word) {
        String singular = word.toLowerCase(Locale.ROOT);
        singular = singular.endsWith("s") ? singular.substring(0, singular.length() - 1) : singular;
        for (TimeSpan.Unit unit : TimeSpan.Unit.values()) {
            if (unit.name().toLowerCase(Locale.ROOT).equals(singular)) {
                return unit;
            }
        }
        return null;
    }

    /** {@code 2024-01-01}, {@code 2024-01-01 06:00[:00]} (UTC) or with an offset ({@code 2024-01-01T06:00:00+02:00}). */
    private LocalDateTime start(YamlNode node) {
        String text = node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL
                ? scalar.text().strip() : null;
        if (text != null) {
            try {
                return TimeWindow.parseUtc(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        fields.problem(fields.at(node), "Cannot read front matter time start: '%s' is not a date or time; write "
                + "2024-01-01, '2024-01-01 06:00:00' (UTC) or 2024-01-01T06:00:00+02:00", text == null ? node.kind() : text);
        return null;
    }
}
