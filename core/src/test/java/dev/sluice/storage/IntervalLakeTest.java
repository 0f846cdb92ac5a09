package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class IntervalLakeTest {
    @Test
    void partitionsAreCoarserThanTheIntervals() {
        assertThat(IntervalLake.unitFor(3600)).isEqualTo(IntervalLake.Unit.DAY);
        assertThat(IntervalLake.unitFor(60)).isEqualTo(IntervalLake.Unit.DAY);
        assertThat(IntervalLake.unitFor(86_400)).isEqualTo(IntervalLake.Unit.MONTH);
        assertThat(IntervalLake.unitFor(7 * 86_400)).isEqualTo(IntervalLake.Unit.MONTH);
        assertThat(IntervalLake.unitFor(0)).isEqualTo(IntervalLake.Unit.YEAR);
    }

    @Test
    void anIntervalAcrossABoundaryTouchesBothPartitions() {
        assertThat(IntervalLake.partitions(IntervalLake.Unit.DAY, LocalDateTime.parse("2024-01-01T06:00"),
                LocalDateTime.parse("2024-01-02T06:00"))).containsExactly("2024-01-01", "2024-01-02");
        assertThat(IntervalLake.partitions(IntervalLake.Unit.DAY, LocalDateTime.parse("2024-01-01T05:00"),
                LocalDateTime.parse("2024-01-01T06:00"))).containsExactly("2024-01-01");
        assertThat(IntervalLake.partitions(IntervalLake.Unit.MONTH, LocalDateTime.parse("2024-01-31T00:00"),
                LocalDateTime.parse("2024-03-01T00:00"))).containsExactly("2024-01", "2024-02");
        assertThat(IntervalLake.partitions(IntervalLake.Unit.YEAR, LocalDateTime.parse("2023-12-01T00:00"),
                LocalDateTime.parse("2024-01-01T00:00"))).containsExactly("2023");
    }
}
