package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.project.EngineTraits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * A private copy of a catalog in a DuckDB file of its own that another process holds for writing (a run), for
 * readers ({@code sluice runs}, {@code state}, {@code query}): DuckDB lets no other process open a file a writer holds,
 * not even read-only. The file and its write-ahead log are copied as they stood at one instant (nothing written to
 * either between the first look and the last), which is what a writer killed at that instant would leave and DuckDB
 * recovers from; the copy shows every transaction the run committed by then. Each copy lives until the warehouse
 * engine it was opened for is unreachable, and its folder is deleted when the JVM exits. Thread-safe.
 */
final class CatalogCopy {
    /** Copies tried before a reader gives up on a catalog that is written without pause. */
    static final int ATTEMPTS = 50;
    /**
     * How long the files must have been left alone before a copy: the file system stamps a write with a coarse clock
     * (a few milliseconds), so a write just after an earlier one may keep its time; after this pause it cannot.
     */
    static final long QUIET_MILLIS = 50;
    private static final Cleaner CLEANER = Cleaner.create();

    private CatalogCopy() {
    }

    /**
     * An engine on a copy of the DuckDB catalog {@code file}, closed once {@code owner} (the warehouse engine the
     * reader opened) is unreachable.
     */
    static Engine open(Path file, Object owner) {
        Path copy = copy(file);
        Engine engine = Engines.factory(EngineTraits.DEFAULT).open(EngineOptions.readWrite(copy, 1, null, List.of()));
        CLEANER.register(owner, () -> close(engine, copy.getParent()));
        return engine;
    }

    /** The copy of {@code file} and its write-ahead log in a new temporary folder, as they stood at one instant. */
    static Path copy(Path file) {
        return copy(file, () -> { });
    }

    /** {@link #copy(Path)}, running {@code whileCopying} after each copy, before the files are looked at again. */
    static Path copy(Path file, Runnable whileCopying) {
        Path wal = file.resolveSibling(file.getFileName() + ".wal");
        try {
            Path folder = Files.createTempDirectory("sluice-catalog-copy");
            folder.toFile().deleteOnExit();
            Path copy = folder.resolve(file.getFileName());
            Path copiedWal = folder.resolve(wal.getFileName());
            copy.toFile().deleteOnExit();
            copiedWal.toFile().deleteOnExit();
            int copies = 0;
            // a file written more often than the quiet pause is given up on too, after as many pauses
            for (int look = 0; look < 10 * ATTEMPTS && copies < ATTEMPTS; look++) {
                try {
                    Stamp before = Stamp.of(file, wal);
                    long age = System.currentTimeMillis() - before.lastWrite();
                    if (age < QUIET_MILLIS) {
                        pause(QUIET_MILLIS - age);
                        continue;
                    }
                    copies++;
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                    if (before.walSize() >= 0) {
                        Files.copy(wal, copiedWal, StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.deleteIfExists(copiedWal);
                    }
                    whileCopying.run();
                    if (before.equals(Stamp.of(file, wal))) {
                        return copy;
                    }
                } catch (NoSuchFileException e) {
                    // the writer removed its write-ahead log while we looked (a checkpoint): look again
                }
            }
            throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, "Cannot read the catalog %s: a run in another "
                    + "process holds it and wrote it each time it was copied (%d tries); retry, or read when the run "
                    + "has finished", file, ATTEMPTS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the catalog " + file + " to read it: " + e.getMessage(), e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot read the catalog: interrupted while a run "
                    + "wrote it; retry");
        }
    }

    private static void close(Engine engine, Path folder) {
        try {
            engine.close();
        } finally {
            try (var files = Files.list(folder)) {
                for (Path path : files.toList()) {
                    Files.deleteIfExists(path);
                }
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                // left for deleteOnExit
            }
        }
    }

    /** What a file and its write-ahead log look like from outside: sizes and times of the last write (-1: none). */
    private record Stamp(long size, FileTime modified, long walSize, FileTime walModified) {
        static Stamp of(Path file, Path wal) throws IOException {
            boolean hasWal = Files.exists(wal);
            return new Stamp(Files.size(file), Files.getLastModifiedTime(file), hasWal ? Files.size(wal) : -1,
                    hasWal ? Files.getLastModifiedTime(wal) : null);
        }

        long lastWrite() {
            return Math.max(modified.toMillis(), walModified == null ? 0 : walModified.toMillis());
        }

    }
}
