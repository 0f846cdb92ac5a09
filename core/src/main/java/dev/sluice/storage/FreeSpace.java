package dev.sluice.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free bytes where a lake output will be written. Implementations are thread-safe. */
@FunctionalInterface
public interface FreeSpace {
    /** The real one: the usable space of the file store holding the folder (or its nearest existing parent). */
    FreeSpace FILE_STORE = folder -> {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    /** Bytes that may be written under {@code folder}. */
    long usableBytes(Path folder);
}
