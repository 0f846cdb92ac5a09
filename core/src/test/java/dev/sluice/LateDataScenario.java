package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Windowed models with late data over several runs, for parity tests that run it on two engines or catalog kinds and
 * compare what each left, row by row: the windowed_events scenario ({@code hourly} quarantines rows beyond its
 * lateness, {@code daily} sums it) with two copies of {@code hourly} that drop them and move them to the current
 * interval. Run 1 builds two days; run 2 brings rows on time, within and beyond lateness; run 3 a new hour and another
 * row beyond lateness; then each hourly model restates every built interval (a backfill), which must leave out again
 * what the catalog's late-row records set aside.
 */
public final class LateDataScenario {
    private static final List<String> HOURLY = List.of("hourly", "hourly_drop", "hourly_current");

    /** The windowed models' tables (and the quarantine table) compared after each run. */
    public static final List<String> TABLES = List.of("main.hourly", "main.daily", "main.hourly__late",
            "main.hourly_drop", "main.hourly_current");


    private LateDataScenario() {
    }

    /** The scenario in {@code folder}, with {@code settings} (lines of sluice.yml: an engine, a catalog) added. */
    public static ProjectFixture project(Path folder, String settings) {
        // from the repository root, so that the spark module's tests find it too
        ProjectFixture project = ProjectFixture.at(ProjectFixture.copyFolder(ProjectFixture.REPOSITORY.resolve(
                "core/src/test/resources/projects/windowed_events"), folder));
        try {
            Files.writeString(project.root().resolve("sluice.yml"), settings, StandardOpenOption.APPEND);
            String hourly = Files.readString(project.root().resolve("models/hourly.sql"));
            project.write("models/hourly_drop.sql", hourly.replace("late_policy: quarantine", "late_policy: drop"));
            project.write("models/hourly_current.sql", hourly.replace("late_policy: quarantine",
                    "late_policy: current"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return project;
    }

    /** How many steps the scenario has. */
    public static final int STEPS = 3 + HOURLY.size();

    /** Step {@code step} (0 to {@link #STEPS} - 1): adds a file and runs, or restates an hourly model; must succeed. */
    public static RunResult step(ProjectFixture project, int step) {
        switch (step) {
            case 0 -> file(project, "a.csv", "1,2024-01-01 00:10:00,1\n2,2024-01-01 05:00:00,2\n"
                    + "3,2024-01-02 01:00:00,4\n4,2024-01-03 00:30:00,8\n");
            // on time (hour 02 of day 3), 2.5 hours late (within lateness), 42.5 hours late (beyond)
            case 1 -> file(project, "b.csv", "5,2024-01-03 02:00:00,16\n6,2024-01-02 23:30:00,32\n"
                    + "7,2024-01-01 05:30:00,64\n");
            case 2 -> file(project, "c.csv", "8,2024-01-03 03:10:00,128\n9,2024-01-01 05:45:00,256\n");
            default -> {
                return succeeded(project.open().backfill(Backfill.parse(HOURLY.get(step - 3), "2024-01-01",
                        "2024-01-04")));
            }
        }
        return succeeded(project.run());
    }

    /**
     * What a step left: every table of {@link #TABLES} and, from the catalog (wherever it is), the interval states and
     * late-row summary of the windowed models; keyed by what they are.
     */
    public static Map<String, List<List<Object>>> outcome(ProjectFixture project) {
        Sluice sluice = project.open();
        Map<String, List<List<Object>>> outcome = new LinkedHashMap<>();
        for (String table : TABLES) {
            try {
                outcome.put(table, sluice.query("SELECT * FROM " + table).rows());
            } catch (SluiceException e) {
                // not created yet (the quarantine table before the first quarantined row)
                outcome.put(table, List.of(List.of("absent")));
            }
        }
        WindowReport windows = sluice.windows();
        outcome.put("intervals", windows.intervals().rows());
        outcome.put("late rows", windows.lateRows().rows());
        return outcome;
    }

    /** Rows sorted, numbers compared by their decimal value (a sum is a HUGEINT on DuckDB, a BIGINT elsewhere). */
    public static List<List<Object>> normal(List<List<Object>> rows) {
        List<List<Object>> normal = new ArrayList<>();
        for (List<Object> row : rows) {
            normal.add(row.stream().map(value -> value instanceof Number number
                    ? (Object) new BigDecimal(number.toString()).stripTrailingZeros().toPlainString() : value).toList());
        }
        normal.sort(Comparator.comparing(Object::toString));
        return normal;
    }

    private static RunResult succeeded(RunResult result) {
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result;
    }

    /** A new file, its modification time after any earlier one's (the manifest sees it as new). */
    private static void file(ProjectFixture project, String name, String rows) {
        Path file = project.write("data/" + name, "event_id,event_ts,amount\n" + rows);
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(Files.size(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
