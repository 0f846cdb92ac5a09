package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule as sluice.yml's {@code schedules:} declares it, checked when the project was read (the public form is
 * {@code dev.sluice.Schedule}).
 *
 * @param cron a Unix cron expression of five fields
 * @param vars {@code --var} overrides as text, in file order
 */
public record ScheduleSpec(String name, String cron, ZoneId zone, List<String> select, List<String> exclude,
        Map<String, String> vars, CatchUp catchUp, int maxConcurrency) {
    /** What a starting server does with the due times that passed while none ran. */
    public enum CatchUp { NONE, LAST, ALL }

    public ScheduleSpec {
        requireNonNull(name, "name");
        requireNonNull(cron, "cron");
        requireNonNull(zone, "zone");
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        requireNonNull(catchUp, "catchUp");
    }
}
