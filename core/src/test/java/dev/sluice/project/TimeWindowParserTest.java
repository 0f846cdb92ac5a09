package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ProjectFixture;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeWindowParserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void projectFile() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");
    }

    @Test
    void readsAWindowWithItsDefaultsAndGivesItTheWindowParameters() {
        ProjectFixture.at(dir).files("models/hourly.sql", """
                /*---
                materialized: incremental
                time: { column: hour, grain: 1 hour, start: 2024-01-01 }
                ---*/
                SELECT hour FROM t WHERE hour >= ${window_start} AND hour < ${window_end}
                """);
        Model model = ProjectReader.read(dir, Map.of(), Map.of()).model("hourly").orElseThrow();
        assertThat(model.windowed()).isTrue();
        assertThat(model.time()).isEqualTo(new TimeWindow("hour", "hour", new TimeSpan(1, TimeSpan.Unit.HOUR),
                LocalDateTime.parse("2024-01-01T00:00"), TimeSpan.ZERO, TimeWindow.LatePolicy.REPROCESS,
                TimeWindow.Clock.EVENT, 0, TimeSpan.ZERO));
        assertThat(model.sql()).contains("hour >= CAST(getvariable('window_start') AS TIMESTAMP) AND hour < "
                + "CAST(getvariable('window_end') AS TIMESTAMP)");
    }

    @Test
    void readsEveryKey() {
        ProjectFixture.at(dir).files("models/daily.sql", """
                /*---
                materialized: incremental
                time:
                  column: day
                  input_column: event_ts
                  grain: 1 day
                  start: 2024-01-01T06:00:00+02:00
                  lateness: 2 days
                  late_policy: quarantine
                  clock: processing
                  batch_size: 30
                  lookback: 6 days
                ---*/
                SELECT day FROM t
                """);
        TimeWindow time = ProjectReader.read(dir, Map.of(), Map.of()).model("daily").orElseThrow().time();
        assertThat(time).isEqualTo(new TimeWindow("day", "event_ts", new TimeSpan(1, TimeSpan.Unit.DAY),
                LocalDateTime.parse("2024-01-01T04:00"), new TimeSpan(2, TimeSpan.Unit.DAY),
                TimeWindow.LatePolicy.QUARANTINE, TimeWindow.Clock.PROCESSING, 30, new TimeSpan(6, TimeSpan.Unit.DAY)));
        assertThat(time.grain().toString()).isEqualTo("1 day");
        assertThat(time.lateness().toString()).isEqualTo("2 days");
    }

    @Test
    void acceptsStartsWithATimeAndZeroLateness() {
        ProjectFixture.at(dir).files("models/m.sql", """
                /*---
                materialized: incremental
                time: { column: ts, grain: 15 minutes, start: "2024-01-01 06:15", lateness: 0, lookback: 0 }
                ---*/
                SELECT ts FROM t
                """);
        TimeWindow time = ProjectReader.read(dir, Map.of(), Map.of()).model("m").orElseThrow().time();
        assertThat(time.start()).isEqualTo(LocalDateTime.parse("2024-01-01T06:15"));
        assertThat(time.grain()).isEqualTo(new TimeSpan(15, TimeSpan.Unit.MINUTE));
        assertThat(time.lateness()).isEqualTo(TimeSpan.ZERO);
    }

    @Test
    void reportsEveryBadSettingAtItsLine() {
        ProjectFixture.at(dir).files("models/m.sql", """
                /*---
                materialized: incremental
                time:
                  column: ts
                  grain: 1 fortnight
                  start: someday
                  lateness: 0 hours
                  late_policy: ignore
                  clock: sundial
                  batch_size: 0
                  lookback: [1]
                  size: 3
                ---*/
                SELECT ts FROM t
                """);
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/m.sql:12:3: Cannot read front matter time: unknown key 'size'; valid keys are column, "
                        + "input_column, grain, start, lateness, late_policy, clock, batch_size, lookback",
                "models/m.sql:5:10: Cannot read front matter time grain: '1 fortnight' is not a length of time; write an "
                        + "amount and a unit such as '1 hour', '15 minutes' or '2 days' (units: second, minute, hour, "
                        + "day, week, month, year (or their plurals))",
                "models/m.sql:6:10: Cannot read front matter time start: 'someday' is not a date or time; write "
                        + "2024-01-01, '2024-01-01 06:00:00' (UTC) or 2024-01-01T06:00:00+02:00",
                "models/m.sql:11:13: Cannot read front matter time lookback: 'a list' is not a length of time; write an "
                        + "amount and a unit such as '1 hour', '15 minutes' or '2 days' (units: second, minute, hour, "
                        + "day, week, month, year (or their plurals))",
                "models/m.sql:8:16: Cannot read front matter time late_policy: unknown value 'ignore'; valid values are "
                        + "reprocess, quarantine, drop, current",
                "models/m.sql:9:10: Cannot read front matter time clock: unknown value 'sundial'; valid values are event, "
                        + "processing",
                "models/m.sql:10:15: Cannot read front matter time batch_size: 0 is below the minimum 1");
    }

    @Test
    void refusesWindowsThatCannotWork() {
        ProjectFixture.at(dir).files("models/a.sql", """
                /*---
                materialized: table
                time: { column: ts, grain: 1 day, start: 2024-01-01 }
                ---*/
                SELECT ts FROM t
                """);
        ProjectFixture.at(dir).files("models/b.sql", """
                /*---
                materialized: incremental
                time: { grain: 0 days }
                ---*/
                SELECT ts FROM t
                """);
        ProjectFixture.at(dir).files("models/c.sql", """
                /*---
                materialized: incremental
                time: { column: ts, grain: 1 month, start: 2024-01-15 }
                ---*/
                SELECT ts FROM t
                """);
        ProjectFixture.at(dir).files("models/d.sql", """
                /*---
                materialized: incremental
                incremental: { strategy: merge, unique_key: id }
                time: { column: ts, grain: 1 day, start: 2024-01-01 }
                ---*/
                SELECT ts FROM t
                """);
        ProjectFixture.at(dir).files("models/e.sql", "SELECT ${window_start} AS ts\n");
        ProjectFixture.at(dir).files("models/f.sql", """
                /*---
                materialized: incremental
                time: { column: ts, grain: 1 day, start: 2024-01-01, batch_size: 99999999999 }
                ---*/
                SELECT ts FROM t
                """);
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/a.sql:3:7: Cannot read front matter: a time window needs materialized: incremental (a windowed "
                        + "model is built interval by interval); add it or remove the time block",
                "models/b.sql:3:7: Cannot read front matter time: 'column' is missing; a time window needs column, grain "
                        + "and start (time: { column: event_ts, grain: 1 hour, start: 2024-01-01 })",
                "models/b.sql:3:16: Cannot read front matter time grain: '0 days' is empty; an interval must last at "
                        + "least one day",
                "models/b.sql:3:7: Cannot read front matter time: 'start' is missing; a time window needs column, grain "
                        + "and start (time: { column: event_ts, grain: 1 hour, start: 2024-01-01 })",
                "models/c.sql:3:44: Cannot read front matter time start: a grain of 1 month counts calendar months, so "
                        + "the first interval must start on the first of a month at 00:00, not 2024-01-15T00:00; write "
                        + "start: 2024-01-01",
                "models/d.sql:3:14: Cannot read front matter: a windowed model replaces whole intervals, so incremental "
                        + "strategy merge does not apply; remove the strategy and unique_key",
                "models/e.sql:1:8: Cannot substitute parameter ${window_start}: the engine provides it only to windowed "
                        + "models; declare the model's time window (time: { column: ..., grain: ..., start: ... }) or "
                        + "define window_start in vars",
                "models/f.sql:3:66: Cannot read front matter time batch_size: 99999999999 is too large; use at most "
                        + "2147483647 intervals per query");
    }

    @Test
    void valuesRefuseWhatCannotBe() {
        assertThatThrownBy(() -> new TimeSpan(-1, TimeSpan.Unit.DAY)).hasMessage("a time span cannot be negative: -1");
        assertThatThrownBy(() -> new TimeWindow("t", "t", TimeSpan.ZERO, LocalDateTime.MIN, TimeSpan.ZERO,
                TimeWindow.LatePolicy.DROP, TimeWindow.Clock.EVENT, 0, TimeSpan.ZERO))
                .hasMessage("a grain cannot be empty");
        assertThatThrownBy(() -> new TimeWindow("t", "t", new TimeSpan(1, TimeSpan.Unit.DAY), LocalDateTime.MIN,
                TimeSpan.ZERO, TimeWindow.LatePolicy.DROP, TimeWindow.Clock.EVENT, -1, TimeSpan.ZERO))
                .hasMessage("batch size cannot be negative: -1");
        assertThat(new TimeSpan(2, TimeSpan.Unit.YEAR).months()).isEqualTo(24);
        assertThat(new TimeSpan(2, TimeSpan.Unit.HOUR).seconds()).isEqualTo(7200);
    }

    @Test
    void aWindowedLakeOutputTakesNoPinnedPartitionsSortOrRowGroups() {
        ProjectFixture.at(dir).files("models/hourly.sql", """
                /*---
                materialized: incremental
                time: { column: hour, grain: 1 hour, start: 2024-01-01 }
                storage: { format: parquet, compression: zstd, sort_by: [hour], partition_by: [hour] }
                ---*/
                SELECT hour FROM t
                """);
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage())
                .contains("models/hourly.sql:4:79: Cannot read front matter storage partition_by: a windowed model's "
                        + "lake output is partitioned by its intervals (one file per day, month or year); remove "
                        + "partition_by")
                .contains("storage sort_by: a windowed model's lake output").doesNotContain("compression");
        ProjectFixture.at(dir).files("models/hourly.sql", """
                /*---
                materialized: incremental
                time: { column: hour, grain: 1 hour, start: 2024-01-01 }
                storage: { format: parquet, compression: zstd }
                ---*/
                SELECT hour FROM t
                """);
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).model("hourly").orElseThrow().storage().compression())
                .isEqualTo(StorageSpec.Codec.ZSTD);
    }
}
