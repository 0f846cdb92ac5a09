package dev.sluice.project;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads sluice.yml's {@code schedules:}, a map from schedule name to its settings, reporting each problem at its
 * line. Selectors and vars are checked against the models later ({@link ScheduleChecks}), once those are read.
 */
final class ScheduleParser {
    static final List<String> KEYS = List.of("cron", "timezone", "select", "exclude", "vars", "catch_up",
            "max_concurrency");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /**
     * A schedule as written, with where its selectors and vars are, for the checks against the models.
     *
     * @param selectors each selector of {@code select:} and {@code exclude:} with its location
     * @param vars each var name with its location
     */
    record Parsed(ScheduleSpec schedule, Map<String, Location> selectors, Map<String, Location> vars) {
    }

    private final Fields fields;

    ScheduleParser(Fields fields) {
        this.fields = fields;
    }

    List<Parsed> parse(YamlNode node) {
        List<Parsed> schedules = new ArrayList<>();
        YamlNode.Mapping mapping = node == null ? null : fields.mapping(node, "schedules");
        if (mapping == null) {
            return schedules;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            Parsed parsed = schedule(entry);
            if (parsed != null) {
                schedules.add(parsed);
            }
        }
        return schedules;
    }

    private Parsed schedule(YamlNode.Entry entry) {
        String name = entry.key();
        String what = "schedule " + name;
        boolean valid = true;
        if (!NAME.matcher(name).matches()) {
            fields.problem(fields.at(entry), "Cannot read schedule '%s': not a schedule name; use letters, digits, "
                    + "_, - and ., not starting with - or .", name);
            valid = false;
        }
        YamlNode.Mapping settings = fields.mapping(entry.value(), what);
        if (settings == null) {
            return null;
        }
        fields.checkKeys(settings, what, KEYS);
        String cron = cron(settings, entry, what);
        ZoneId zone = zone(settings.get("timezone"), what);
        Map<String, Location> selectors = new LinkedHashMap<>();
        List<String> select = selectors(settings.get("select"), what + " select", selectors);
        List<String> exclude = selectors(settings.get("exclude"), what + " exclude", selectors);
        Map<String, Location> varLocations = new LinkedHashMap<>();
        Map<String, String> vars = vars(settings.get("vars"), what, varLocations);
        ScheduleSpec.CatchUp catchUp = ScheduleSpec.CatchUp.NONE;
        if (settings.get("catch_up") != null) {
            catchUp = fields.choice(settings.get("catch_up"), what + " catch_up", ScheduleSpec.CatchUp.class);
        }
        int maxConcurrency = 1;
        if (settings.get("max_concurrency") != null) {
            Long value = fields.integer(settings.get("max_concurrency"), what + " max_concurrency", 1);
            if (value != null && value > 100) {
                fields.problem(fields.at(settings.get("max_concurrency")), "Cannot read %s max_concurrency: %d is more "
                        + "than 100; runs of one warehouse go one at a time, so a long queue only delays them", what,
                        value);
                value = null;
            }
            maxConcurrency = value == null ? 0 : value.intValue();
        }
        if (!valid || cron == null || zone == null || select == null || exclude == null || vars == null
                || catchUp == null || maxConcurrency == 0) {
            return null;
        }
        return new Parsed(new ScheduleSpec(name, cron, zone, select, exclude, vars, catchUp, maxConcurrency), selectors,
                varLocations);
    }

    private String cron(YamlNode.Mapping settings, YamlNode.Entry entry, String what) {
        YamlNode node = settings.get("cron");
        if (node == null) {
            fields.problem(fields.at(entry), "Cannot read %s: cron is missing; set cron: to a Unix cron expression "
                    + "such as \"0 2 * * *\" (every day at 02:00)", what);
            return null;
        }
        String cron = fields.string(node, what + " cron");
        if (cron == null) {
            return null;
        }
        cron = cron.strip();
        int count = cron.isEmpty() ? 0 : cron.split("\\s+").length;
        if (count != 5) {
            fields.problem(fields.at(node), "Cannot read %s cron '%s': expected the 5 fields of a Unix cron expression "
                    + "(minute hour day-of-month month day-of-week), found %d%s", what, cron, count,
                    count == 6 || count == 7 ? "; seconds and years are not supported, drop them" : "");
            return null;
        }
        try {
            Crons.check(cron);
            return cron;
        } catch (IllegalArgumentException e) {
            fields.problem(fields.at(node), "Cannot read %s cron '%s': %s; write a Unix cron expression such as "
                    + "\"0 2 * * *\" (minute hour day-of-month month day-of-week)", what, cron, e.getMessage());
            return null;
        }
    }

    private ZoneId zone(YamlNode node, String what) {
        if (node == null) {
            return ZoneId.of("UTC");
        }
        String text = fields.string(node, what + " timezone");
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            fields.problem(fields.at(node), "Cannot read %s timezone '%s': not a known time zone; use a region such "
                    + "as Europe/Paris or America/New_York, or UTC (the default)%s", what, text,
                    Names.didYouMean(text, ZoneId.getAvailableZoneIds()));
            return null;
        }
    }

    /** A string of selectors or a list of them, each one checked later; null after a problem. */
    private List<String> selectors(YamlNode node, String what, Map<String, Location> locations) {
        List<String> selectors = new ArrayList<>();
        if (node == null) {
            return selectors;
        }
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        boolean valid = true;
        for (YamlNode item : items) {
            String text = item instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL
                    && scalar.type() != YamlNode.Scalar.Type.BOOLEAN ? scalar.text() : null;
            if (text == null || text.isBlank()) {
                fields.problem(fields.at(item), "Cannot read %s: expected selectors (name, +name, name+, tag:x) or a "
                        + "list of them, found %s", what, text == null ? item.kind() : "an empty string");
                valid = false;
                continue;
            }
            selectors.add(text.strip());
            for (String selector : text.strip().split("\\s+")) {
                locations.putIfAbsent(selector, fields.at(item));
            }
        }
        return valid ? selectors : null;
    }

    private Map<String, String> vars(YamlNode node, String what, Map<String, Location> locations) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (node == null) {
            return vars;
        }
        YamlNode.Mapping mapping = fields.mapping(node, what + " vars");
        if (mapping == null) {
            return null;
        }
        boolean valid = true;
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!Fields.IDENTIFIER.matcher(entry.key()).matches()) {
                fields.problem(fields.at(entry), "Cannot read %s var '%s': not a parameter name; use letters, digits "
                        + "and _, not starting with a digit", what, entry.key());
                valid = false;
            } else if (entry.value() instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL) {
                // As --var takes it: the text is typed again, against the var's type in sluice.yml, when it runs.
                vars.put(entry.key(), scalar.text());
                locations.put(entry.key(), fields.at(entry));
            } else {
                fields.problem(fields.at(entry.value()), "Cannot read %s var %s: expected a number, string, boolean or "
                        + "date, found %s; a parameter is one value", what, entry.key(), entry.value().kind());
                valid = false;
            }
        }
        return valid ? vars : null;
    }
}
