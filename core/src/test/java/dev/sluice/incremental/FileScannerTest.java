package dev.sluice.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileScannerTest {
    @TempDir
    Path dir;

    @Test
    void listsMatchingFilesOfEveryFolderSortedWithTheirMetadata() throws Exception {
        for (int folder = 0; folder < 20; folder++) {
            for (int file = 0; file < 30; file++) {
                write(String.format("data/d%02d/sub/f%03d.csv", folder, file), "id\n" + file + "\n");
            }
            write(String.format("data/d%02d/skip.json", folder), "{}");
        }
        write("data/top.csv", "id\n1\n");
        Path dated = write("data/d07/sub/dated.csv", "id,name\n1,a\n");
        Files.setLastModifiedTime(dated, FileTime.from(Instant.parse("2026-01-02T03:04:05.123456789Z")));
        // a link to a folder is not followed, a link to a file is not a regular file
        Files.createSymbolicLink(dir.resolve("data/linked"), dir.resolve("data/d00"));
        Files.createSymbolicLink(dir.resolve("data/d01/link.csv"), dir.resolve("data/top.csv"));

        List<FileEntry> found = FileScanner.scan(dir + "/data/**/*.csv");

        assertThat(found).hasSize(20 * 30 + 1);
        assertThat(found).extracting(FileEntry::path).isSorted()
                .doesNotContain(dir + "/data/top.csv", dir + "/data/d01/link.csv")
                .allMatch(path -> path.endsWith(".csv") && !path.contains("linked"));
        FileEntry entry = found.stream().filter(file -> file.path().endsWith("dated.csv")).findFirst().orElseThrow();
        assertThat(entry.size()).isEqualTo(12);
        // the catalog keeps microseconds
        assertThat(entry.modifiedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(entry.contentHash()).isNull();
        assertThat(FileScanner.scan(dir + "/data/*.csv")).extracting(FileEntry::path)
                .containsExactly(dir + "/data/top.csv");
    }

    @Test
    void aMissingFolderHasNoFilesAndAnUnreadableOneFails() throws Exception {
        assertThat(FileScanner.scan(dir + "/absent/*.csv")).isEmpty();
        write("locked/inner/a.csv", "id\n1\n");
        Path inner = dir.resolve("locked/inner");
        Files.setPosixFilePermissions(inner, PosixFilePermissions.fromString("---------"));
        try {
            if (Files.isReadable(inner)) {
                return; // root reads every folder: nothing to fail on
            }
            assertThatThrownBy(() -> FileScanner.scan(dir + "/locked/**/*.csv"))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining(inner.toString());
        } finally {
            Files.setPosixFilePermissions(inner, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private Path write(String relative, String text) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
