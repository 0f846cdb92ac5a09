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

/**
 * The one statistics class of the macro benchmarks: measured durations of one phase, summarised by median, min and
 * max (also for plain lists of numbers), the warm-up rounds to leave out, and small file helpers.
 */
final class Timings {
    /** One round of a benchmark; {@code measured} is false for a warm-up round, whose times are left out. */
    interface Round {
        void run(String label, boolean measured) throws Exception;
    }

    /** Runs {@code warmup} unmeasured rounds, then {@code rounds} measured ones, labelled for the output. */
    static void rounds(int warmup, int rounds, Round round) throws Exception {
        for (int i = 0; i < warmup + rounds; i++) {
            boolean measured = i >= warmup;
            round.run(measured ? "round " + (i - warmup + 1) : "warm-up " + (i + 1), measured);
        }
    }

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
        return median(inSeconds());
    }

    double min() {
        return min(inSeconds());
    }

    double max() {
        return max(inSeconds());
    }

    private List<Double> inSeconds() {
        return nanos.stream().map(n -> n / 1e9).toList();
    }

    /** The median of the values; the mean of the two middle values for an even count; NaN for none. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
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
