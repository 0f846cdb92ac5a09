package dev.sluice.incremental;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What changed in a files source since its manifest: new, modified and deleted files. Detection compares metadata
 * (size, modification time); with content hashes, a file whose metadata changed but whose content did not is
 * unchanged ({@code touched}: only its manifest entry is refreshed).
 */
public record FileChanges(List<FileEntry> added, List<FileEntry> modified, List<FileEntry> deleted,
        List<FileEntry> touched, int seen) {
    public FileChanges {
        added = List.copyOf(added);
        modified = List.copyOf(modified);
        deleted = List.copyOf(deleted);
        touched = List.copyOf(touched);
    }

    /**
     * Compares the files found now with the manifest.
     *
     * @param hasher computes a file's content hash; null when content hashing is off
     */
    public static FileChanges between(List<FileEntry> found, Map<String, FileEntry> manifest,
            Function<String, String> hasher) {
        List<FileEntry> added = new ArrayList<>();
        List<FileEntry> modified = new ArrayList<>();
        List<FileEntry> touched = new ArrayList<>();
        int listed = 0;
        for (FileEntry file : found) {
            FileEntry known = manifest.get(file.path());
            if (known == null) {
                added.add(hashed(file, hasher));
                continue;
            }
            listed++;
            if (!file.sameMetadata(known)) {
                FileEntry current = hashed(file, hasher);
                boolean sameContent = hasher != null && known.contentHash() != null
                        && known.contentHash().equals(current.contentHash());
                (sameContent ? touched : modified).add(current);
            }
        }
        return new FileChanges(added, modified, deleted(found, manifest, listed), touched, found.size());
    }

    /**
     * The manifest's files not found, sorted; none when every entry was found (paths are unique on both sides), which
     * spares a set of every path found (a million of them) in the usual case.
     */
    private static List<FileEntry> deleted(List<FileEntry> found, Map<String, FileEntry> manifest, int listed) {
        if (listed == manifest.size()) {
            return List.of();
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        found.forEach(file -> present.add(file.path()));
        return manifest.values().stream().filter(entry -> !present.contains(entry.path()))
                .sorted(Comparator.comparing(FileEntry::path)).toList();
    }

    private static FileEntry hashed(FileEntry file, Function<String, String> hasher) {
        return hasher == null ? file : new FileEntry(file.path(), file.size(), file.modifiedAt(),
                hasher.apply(file.path()));
    }

    /** Files whose rows must be read this run: new and modified ones. */
    public List<FileEntry> toRead() {
        List<FileEntry> read = new ArrayList<>(added);
        read.addAll(modified);
        return read;
    }

    public boolean isEmpty() {
        return added.isEmpty() && modified.isEmpty() && deleted.isEmpty() && touched.isEmpty();
    }
}
