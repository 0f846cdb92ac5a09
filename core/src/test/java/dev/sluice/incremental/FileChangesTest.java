package dev.sluice.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileChangesTest {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void findsNewModifiedAndDeletedFilesByMetadata() {
        Map<String, FileEntry> manifest = Map.of("a.csv", file("a.csv", 10, T0), "b.csv", file("b.csv", 20, T0),
                "d.csv", file("d.csv", 5, T0), "c.csv", file("c.csv", 5, T0));
        List<FileEntry> found = List.of(file("a.csv", 10, T0), file("b.csv", 21, T0), file("e.csv", 1, T0));

        FileChanges changes = FileChanges.between(found, manifest, null);

        assertThat(changes.added()).extracting(FileEntry::path).containsExactly("e.csv");
        assertThat(changes.modified()).extracting(FileEntry::path).containsExactly("b.csv");
        assertThat(changes.deleted()).extracting(FileEntry::path).containsExactly("c.csv", "d.csv");
        assertThat(changes.touched()).isEmpty();
        assertThat(changes.toRead()).extracting(FileEntry::path).containsExactly("e.csv", "b.csv");
        assertThat(changes.seen()).isEqualTo(3);
        assertThat(changes.isEmpty()).isFalse();
    }

    @Test
    void everyFileOfTheManifestFoundUnchangedIsNoChange() {
        Map<String, FileEntry> manifest = Map.of("a.csv", file("a.csv", 10, T0), "b.csv", file("b.csv", 20, T0));

        FileChanges changes = FileChanges.between(List.of(file("b.csv", 20, T0), file("a.csv", 10, T0)), manifest,
                null);

        assertThat(changes.isEmpty()).isTrue();
        assertThat(changes.seen()).isEqualTo(2);
    }

    @Test
    void aFileWhoseTimeChangedButNotItsContentIsTouchedNotModified() {
        Map<String, FileEntry> manifest = Map.of("a.csv", new FileEntry("a.csv", 10, T0, "same"),
                "b.csv", new FileEntry("b.csv", 10, T0, "old"));
        Instant later = T0.plusSeconds(60);

        FileChanges changes = FileChanges.between(List.of(file("a.csv", 10, later), file("b.csv", 10, later),
                file("c.csv", 3, later)), manifest, path -> path.equals("a.csv") ? "same" : "new");

        assertThat(changes.touched()).extracting(FileEntry::path).containsExactly("a.csv");
        assertThat(changes.modified()).extracting(FileEntry::contentHash).containsExactly("new");
        assertThat(changes.added()).extracting(FileEntry::contentHash).containsExactly("new");
        assertThat(changes.deleted()).isEmpty();
    }

    private static FileEntry file(String path, long size, Instant modified) {
        return new FileEntry(path, size, modified, null);
    }
}
