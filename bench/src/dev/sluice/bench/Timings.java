package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Measured durations of one benchmark phase, summarised by median, min and max; plus small file helpers. */
final class Timings {
    private final String name;
    private final List<Long> nanos = new ArrayList<>();

    Timings(String name) {
        this.name = name;
    }

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    /** Median in seconds; the mean of the two middle values for an even count. */
    double median() {
        List<Long> sorted = nanos.stream().sorted().toList();
        int n = sorted.size();
        double middle = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return middle / 1e9;
    }

    double min() {
        return nanos.stream().mapToLong(Long::longValue).min().orElseThrow() / 1e9;
    }

    double max() {
        return nanos.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e9;
    }

    /** {@code name: median 1.234 s (min 1.200, max 1.300, n=7)}. */
    String summary() {
        return String.format(Locale.ROOT, "%-34s median %8.3f s  (min %.3f, max %.3f, n=%d)", name, median(), min(), max(),
                count());
    }

    static String seconds(long elapsedNanos) {
        return String.format(Locale.ROOT, "%.3f s", elapsedNanos / 1e9);
    }

    static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes (%.2f GiB, %.1f MB)", bytes, bytes / (1024.0 * 1024 * 1024),
                bytes / 1e6);
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }

    static void copyRecursively(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
        }
    }
}
