package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleParserTest {
    @TempDir
    Path dir;

    private void project(String schedules) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n  day: 2024-01-01\n  limit_rows: 1\n" + schedules,
                "models/orders.sql", "/*---\ntags: [daily]\n---*/\nSELECT 1 AS id",
                "models/revenue.sql", "SELECT count(*) AS n FROM orders WHERE ${limit_rows} > 0");
    }

    private List<String> problems(String schedules) {
        project(schedules);
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> ProjectReader.read(dir, Map.of(), Map.of()));
        assertThat(e).as("a problem is reported").isNotNull();
        return e.problems();
    }

    @Test
    void readsSchedulesWithTheirSettingsAndDefaults() {
        project("""
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    timezone: Europe/Paris
                    select: [orders+, "tag:daily"]
                    exclude: revenue
                    vars: {day: 2024-02-01, limit_rows: 10}
                    catch_up: last
                    max_concurrency: 2
                  hourly:
                    cron: "15 * * * 1-5"
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.schedules()).containsExactly(
                new ScheduleSpec("nightly", "0 2 * * *", ZoneId.of("Europe/Paris"), List.of("orders+", "tag:daily"),
                        List.of("revenue"), Map.of("day", "2024-02-01", "limit_rows", "10"), ScheduleSpec.CatchUp.LAST, 2),
                new ScheduleSpec("hourly", "15 * * * 1-5", ZoneId.of("UTC"), List.of(), List.of(), Map.of(),
                        ScheduleSpec.CatchUp.NONE, 1));
        assertThat(project.schedules().get(0).vars().keySet()).containsExactly("day", "limit_rows");
    }

    @Test
    void aProjectWithoutSchedulesHasNone() {
        project("");

        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).schedules()).isEmpty();
    }

    @Test
    void refusesABadCronAtItsLine() {
        assertThat(problems("""
                schedules:
                  nightly:
                    cron: "0 25 * * *"
                  seconds:
                    cron: "0 0 2 * * ?"
                  empty:
                    cron: ""
                  missing:
                    timezone: UTC
                """)).containsExactly(
                "sluice.yml:7:11: Cannot read schedule nightly cron '0 25 * * *': Failed to parse cron expression. "
                        + "Value 25 not in range [0, 23]; write a Unix cron expression such as \"0 2 * * *\" (minute "
                        + "hour day-of-month month day-of-week)",
                "sluice.yml:9:11: Cannot read schedule seconds cron '0 0 2 * * ?': expected the 5 fields of a Unix "
                        + "cron expression (minute hour day-of-month month day-of-week), found 6; seconds and years "
                        + "are not supported, drop them",
                "sluice.yml:11:11: Cannot read schedule empty cron '': expected the 5 fields of a Unix cron "
                        + "expression (minute hour day-of-month month day-of-week), found 0",
                "sluice.yml:12:3: Cannot read schedule missing: cron is missing; set cron: to a Unix cron expression "
                        + "such as \"0 2 * * *\" (every day at 02:00)");
    }

    @Test
    void refusesAnUnknownZoneKeyOrSetting() {
        assertThat(problems("""
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    timezone: Europe/Pariss
                    catchup: last
                    catch_up: sometimes
                    max_concurrency: 0
                  weekly:
                    cron: "0 2 * * 0"
                    max_concurrency: 101
                  bad name:
                    cron: "0 2 * * *"
                  listed: [1]
                """)).containsExactly(
                "sluice.yml:9:5: Cannot read schedule nightly: unknown key 'catchup'; valid keys are cron, timezone, "
                        + "select, exclude, vars, catch_up, max_concurrency",
                "sluice.yml:8:15: Cannot read schedule nightly timezone 'Europe/Pariss': not a known time zone; use a "
                        + "region such as Europe/Paris or America/New_York, or UTC (the default); did you mean "
                        + "'Europe/Paris'?",
                "sluice.yml:10:15: Cannot read schedule nightly catch_up: unknown value 'sometimes'; valid values are "
                        + "none, last, all",
                "sluice.yml:11:22: Cannot read schedule nightly max_concurrency: 0 is below the minimum 1",
                "sluice.yml:14:22: Cannot read schedule weekly max_concurrency: 101 is more than 100; runs of one "
                        + "warehouse go one at a time, so a long queue only delays them",
                "sluice.yml:15:3: Cannot read schedule 'bad name': not a schedule name; use letters, digits, _, - and "
                        + "., not starting with - or .",
                "sluice.yml:17:11: Cannot read schedule listed: expected a map of keys, found a list");
    }

    @Test
    void refusesASelectionNamingNoModelAndAnUnknownVar() {
        assertThat(problems("""
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    select: "ordrs+ tag:weekly"
                    exclude: [+revenue, "+", ""]
                    vars: {dya: 2024-02-01, 1x: 2, day: [1]}
                """)).containsExactly(
                "sluice.yml:9:30: Cannot read schedule nightly exclude: expected selectors (name, +name, name+, tag:x) "
                        + "or a list of them, found an empty string",
                "sluice.yml:10:29: Cannot read schedule nightly var '1x': not a parameter name; use letters, digits "
                        + "and _, not starting with a digit",
                "sluice.yml:10:41: Cannot read schedule nightly var day: expected a number, string, boolean or date, "
                        + "found a list; a parameter is one value");
    }

    @Test
    void refusesSelectorsAndVarsThatMatchNothingOnceTheModelsAreRead() {
        List<String> problems = problems("""
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    select: "ordrs+ tag:weekly"
                    exclude: [+revenue, "+", main.orders]
                    vars: {dya: 2024-02-01, limit_rows: 3}
                """);

        assertThat(problems).containsExactly(
                "sluice.yml:8:13: Cannot read schedule nightly: selector 'ordrs+' matches no model; did you mean "
                        + "'orders'?",
                "sluice.yml:8:13: Cannot read schedule nightly: selector 'tag:weekly' matches no model; no enabled "
                        + "model has the tag 'weekly'",
                "sluice.yml:9:25: Cannot read schedule nightly: selector '+' is not valid; write name, +name, name+, "
                        + "+name+ or tag:x",
                "sluice.yml:10:12: Cannot read schedule nightly var dya: no such parameter: sluice.yml declares no var "
                        + "dya and no model reads ${dya}; did you mean 'day'?");
    }

    @Test
    void refusesADisabledModel() {
        project("""
                schedules:
                  nightly:
                    cron: "0 2 * * *"
                    select: orders
                """);
        ProjectFixture.at(dir).files("models/orders.sql", "/*---\nenabled: false\n---*/\nSELECT 1 AS id",
                "models/revenue.sql", "SELECT 1 AS n");

        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(e.problems()).containsExactly("sluice.yml:8:13: Cannot read schedule nightly: selector 'orders' "
                + "names the disabled model 'orders'; enable it (enabled: true) or drop the selector");
    }
}
