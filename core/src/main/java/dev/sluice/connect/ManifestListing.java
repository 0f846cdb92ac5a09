package dev.sluice.connect;

import dev.sluice.catalog.ManifestRecord;
import dev.sluice.incremental.FileChanges;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a manifest-tracked files source, listed once and compared with its manifest, every path in its stored
 * form (see {@link StoredPaths}): what the next load reads (new and modified files), forgets (deleted ones) or only
 * records again (touched ones). A run makes it while planning, under its warehouse lock, binds the source from the
 * files it says the load reads, and hands it to that load, which then reads exactly those files: listing a million
 * files and reading their manifest again would cost as much a second time, and a file arriving in between would be
 * loaded without having been planned. Immutable.
 */
public final class ManifestListing {
    private final FileChanges changes;
    /** The path to read of each stored path listed. */
    private final Map<String, String> real;
    /** The manifest's entries by path as the catalog holds them: the stored path, but for {@link #legacy} ones. */
    private final Map<String, ManifestRecord> manifest;
    /** The legacy entries, by stored path. */
    private final Map<String, ManifestRecord> legacyByStored;
    /** Entries of a catalog written before paths were stored relative to the project folder, as they are stored. */
    private final List<ManifestRecord> legacy;

    private ManifestListing(FileChanges changes, Map<String, String> real, Map<String, ManifestRecord> manifest,
            List<ManifestRecord> legacy, StoredPaths paths) {
        this.changes = changes;
        this.real = real;
        this.manifest = manifest;
        this.legacy = List.copyOf(legacy);
        legacyByStored = new HashMap<>();
        for (ManifestRecord entry : legacy) {
            String stored = paths.stored(entry.path());
            legacyByStored.put(stored, new ManifestRecord(entry.source(), stored, entry.size(), entry.modifiedAt(),
                    entry.contentHash(), entry.rowCount(), entry.runId()));
        }
    }

    /**
     * Lists the source's files and compares them with its manifest ({@code entries}, by path as the catalog holds
     * them; an entry of an older catalog holding an absolute path under the project folder reads as its relative
     * form). With content hashes on, the new and modified files are hashed now.
     *
     * @throws java.io.UncheckedIOException when the files cannot be listed
     */
    static ManifestListing of(Source source, StoredPaths paths, Map<String, ManifestRecord> entries) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        Map<String, FileEntry> known = new HashMap<>(capacity(entries.size()));
        List<ManifestRecord> legacy = new ArrayList<>();
        ZoneId zone = ZoneId.systemDefault();
        entries.forEach((path, entry) -> {
            String stored = paths.stored(path);
            if (!stored.equals(path)) {
                legacy.add(entry);
            }
            known.put(stored, new FileEntry(stored, entry.size(), entry.modifiedAt().atZone(zone).toInstant(),
                    entry.contentHash()));
        });
        List<FileEntry> scanned = FileScanner.scan(spec.path());
        Map<String, String> real = new HashMap<>(capacity(scanned.size()));
        List<FileEntry> found = new ArrayList<>(scanned.size());
        for (FileEntry file : scanned) {
            String stored = paths.stored(file.path());
            real.put(stored, file.path());
            found.add(new FileEntry(stored, file.size(), file.modifiedAt(), file.contentHash()));
        }
        FileChanges changes = FileChanges.between(found, known,
                spec.contentHash() ? path -> contentHash(real.get(path)) : null);
        return new ManifestListing(changes, real, entries, legacy, paths);
    }

    private static int capacity(int entries) {
        return entries * 4 / 3 + 1;
    }

    /** A file's content hash: a staged S3 object's ETag, else the hash of the file's bytes. */
    private static String contentHash(String file) {
        String etag = dev.sluice.connect.s3.S3Staging.etag(file);
        return etag != null ? etag : FileScanner.contentHash(file);
    }

    /** The files the next load reads (new and modified ones), by the path to read them at. */
    public List<String> filesToRead() {
        return changes.toRead().stream().map(file -> real.get(file.path())).toList();
    }

    /** What changed since the manifest, by stored path. */
    FileChanges changes() {
        return changes;
    }

    /** The path to read of a file listed, by its stored path. */
    String realPath(String stored) {
        return real.get(stored);
    }

    /** The manifest's entry of a stored path, or null when it has none. */
    ManifestRecord entry(String stored) {
        ManifestRecord legacyEntry = legacyByStored.get(stored);
        return legacyEntry != null ? legacyEntry : manifest.get(stored);
    }

    /** The manifest's entries stored in an older form (absolute paths under the project folder). */
    List<ManifestRecord> legacy() {
        return legacy;
    }
}
