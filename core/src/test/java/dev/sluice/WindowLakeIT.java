package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A windowed model written to a Parquet lake: partitioned by day of its hourly intervals, and a rebuild of late
 * intervals rewrites only the partitions holding them; the others are linked from the previous version.
 */
class WindowLakeIT {
    @TempDir
    Path dir;

    @Test
    void aLateRowRewritesOnlyThePartitionOfItsInterval() throws IOException {
        Path project = ProjectFixture.copyTo("window_lake_late_row", dir.resolve("lake")).root();
        // every hour of January 1st and 2nd, and one event on the 3rd that completes them
        StringBuilder first = new StringBuilder();
        for (int hour = 0; hour < 48; hour++) {
            first.append(LocalDateTime.parse("2024-01-01T00:10").plusHours(hour)).append(",1\n");
        }
        first.append("2024-01-03T00:30,1\n");
        file(project, "a.csv", first.toString(), 1);
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        Path lake = project.resolve("target/lake/main/hourly");
        Path firstVersion = onlyVersion(lake);
        assertThat(partitions(firstVersion)).containsExactly("_sluice_partition=2024-01-01",
                "_sluice_partition=2024-01-02");
        assertThat(sluice.query("SELECT count(*), CAST(sum(events) AS BIGINT) FROM main.hourly").rows())
                .containsExactly(List.of(48L, 48L));
        assertThat(sluice.query("DESCRIBE main.hourly").rows()).extracting(row -> row.get(0))
                .containsExactly("hour", "events", "amount");
        Object day1 = fileKey(firstVersion.resolve("_sluice_partition=2024-01-01"));
        Object day2 = fileKey(firstVersion.resolve("_sluice_partition=2024-01-02"));

        // a late event for 2024-01-02 05:00, and the hours of the 3rd completed by an event on the 4th
        file(project, "b.csv", "2024-01-02T05:30,10\n2024-01-03T12:00,1\n2024-01-04T00:10,1\n", 2);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.model("hourly").get().reason()).contains("rebuilt");

        Path secondVersion = onlyVersion(lake);
        assertThat(secondVersion).isNotEqualTo(firstVersion);
        assertThat(partitions(secondVersion)).containsExactly("_sluice_partition=2024-01-01",
                "_sluice_partition=2024-01-02", "_sluice_partition=2024-01-03");
        // January 1st had nothing to rebuild: the same file, linked into the new version
        assertThat(fileKey(secondVersion.resolve("_sluice_partition=2024-01-01"))).isEqualTo(day1);
        assertThat(fileKey(secondVersion.resolve("_sluice_partition=2024-01-02"))).isNotEqualTo(day2);
        assertThat(sluice.query("SELECT events, CAST(amount AS BIGINT) FROM main.hourly WHERE hour = "
                + "TIMESTAMP '2024-01-02 05:00'").rows()).containsExactly(List.of(2L, 11L));
        // hours with events: the 48 of the first two days, 00:00 and 12:00 of the 3rd (empty hours have no row)
        assertThat(sluice.query("SELECT count(*) FROM main.hourly").rows()).containsExactly(List.of(50L));
    }

    private static void file(Path project, String name, String rows, int order) throws IOException {
        Path file = ProjectFixture.at(project).write("data/" + name, "event_ts,amount\n" + rows);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(order)));
    }

    private static Path onlyVersion(Path lake) throws IOException {
        try (Stream<Path> versions = Files.list(lake)) {
            List<Path> all = versions.toList();
            assertThat(all).as("versions in %s", lake).hasSize(1);
            return all.get(0);
        }
    }

    private static List<String> partitions(Path version) throws IOException {
        try (Stream<Path> folders = Files.list(version)) {
            return folders.map(folder -> folder.getFileName().toString()).sorted().toList();
        }
    }

    /** The identity (device and inode) of the one file of a partition. */
    private static Object fileKey(Path partition) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return Files.readAttributes(all.get(0), BasicFileAttributes.class).fileKey();
        }
    }
}
