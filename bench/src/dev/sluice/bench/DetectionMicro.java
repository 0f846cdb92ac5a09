package dev.sluice.bench;

import dev.sluice.incremental.FileChanges;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Change detection per 1,000 files: listing a source's files (name, size, modification time) and comparing them
 * with the manifest of the last run, in which 1% of the files are new. {@code hashed} also hashes the content of the
 * new files, as {@code content_hash: true} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DetectionMicro {
    @Param("1000")
    int files;

    Path dir;
    String glob;
    Map<String, FileEntry> manifest;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sluice-micro-detection");
        for (int i = 0; i < files; i++) {
            Path folder = Files.createDirectories(dir.resolve(String.format(java.util.Locale.ROOT, "day=%02d", i % 10)));
            Files.writeString(folder.resolve("part-" + i + ".csv"), "id,amount\n" + i + "," + (i * 7 % 100) + "\n");
        }
        glob = dir.toAbsolutePath() + "/*/*.csv";
        manifest = new HashMap<>();
        int known = files - files / 100;
        for (FileEntry file : FileScanner.scan(glob)) {
            if (manifest.size() < known) {
                manifest.put(file.path(), file);
            }
        }
        if (detect().added().size() != files - known) {
            throw new IllegalStateException("expected " + (files - known) + " new files");
        }
    }

    @TearDown
    public void tearDown() {
        Timings.deleteRecursively(dir);
    }

    @Benchmark
    public FileChanges detect() {
        return FileChanges.between(FileScanner.scan(glob), manifest, null);
    }

    @Benchmark
    public FileChanges hashed() {
        return FileChanges.between(FileScanner.scan(glob), manifest, FileScanner::contentHash);
    }
}
