package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the schedules of sluice.yml against the models read: a selector that matches no model, or a var that no
 * one declares or reads, would make every run of the schedule fail (or change nothing) long after the file was
 * written, so they are refused at their line when the project is read.
 */
final class ScheduleChecks {
    private ScheduleChecks() {
    }

    static void check(List<ScheduleParser.Parsed> schedules, List<Model> models, Set<String> knownVars,
            Problems problems) {
        for (ScheduleParser.Parsed parsed : schedules) {
            String name = parsed.schedule().name();
            parsed.selectors().forEach((selector, location) -> checkSelector(name, selector, location, models,
                    problems));
            parsed.vars().forEach((var, location) -> {
                if (!knownVars.contains(var)) {
                    problems.add(ErrorCode.PARAMETER_INVALID, location, "Cannot read schedule %s var %s: no such "
                            + "parameter: sluice.yml declares no var %s and no model reads ${%s}%s", name, var, var,
                            var, Names.suggest(var, knownVars) == null ? "; declare it under vars or drop it"
                                    : "; did you mean '" + Names.suggest(var, knownVars) + "'?");
                }
            });
        }
    }

    private static void checkSelector(String schedule, String selector, Location location, List<Model> models,
            Problems problems) {
        String core = selector.replaceAll("^\\+|\\+$", "");
        if (core.isEmpty() || core.startsWith("+") || core.endsWith("+")) {
            problems.add(ErrorCode.USAGE, location, "Cannot read schedule %s: selector '%s' is not valid; write name, "
                    + "+name, name+, +name+ or tag:x", schedule, selector);
            return;
        }
        if (core.regionMatches(true, 0, "tag:", 0, 4)) {
            String tag = core.substring(4);
            if (models.stream().filter(Model::enabled).noneMatch(m -> m.tags().stream()
                    .anyMatch(t -> t.equalsIgnoreCase(tag)))) {
                problems.add(ErrorCode.USAGE, location, "Cannot read schedule %s: selector '%s' matches no model; no "
                        + "enabled model has the tag '%s'", schedule, selector, tag);
            }
            return;
        }
        String key = core.toLowerCase(Locale.ROOT);
        Set<String> names = new TreeSet<>();
        for (Model model : models) {
            if (model.name().toLowerCase(Locale.ROOT).equals(key)
                    || model.qualifiedName().toLowerCase(Locale.ROOT).equals(key)) {
                if (!model.enabled()) {
                    problems.add(ErrorCode.USAGE, location, "Cannot read schedule %s: selector '%s' names the disabled "
                            + "model '%s'; enable it (enabled: true) or drop the selector", schedule, selector, core);
                }
                return;
            }
            names.add(model.name());
        }
        String suggestion = Names.suggest(core, names);
        problems.add(ErrorCode.USAGE, location, "Cannot read schedule %s: selector '%s' matches no model%s", schedule,
                selector, suggestion == null ? "; a model is named after its file, without .sql (see sluice ls)"
                        : "; did you mean '" + suggestion + "'?");
    }

    /** The names a schedule's vars may use: the vars of sluice.yml and those the models read. */
    static Set<String> knownVars(Map<String, Object> declared, Set<String> referenced) {
        Set<String> known = new TreeSet<>(declared.keySet());
        known.addAll(referenced);
        return known;
    }
}
