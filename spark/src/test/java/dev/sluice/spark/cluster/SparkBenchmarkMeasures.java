package dev.sluice.spark.cluster;

import dev.sluice.spark.cluster.SparkBenchmarkPhases.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@link SparkBenchmark}'s measures (CPU time, load, medians) and its report with the projection to 100 GB. */
final class SparkBenchmarkMeasures {
    private SparkBenchmarkMeasures() {
    }

    /**
     * CPU time of this JVM (every thread: Spark's local executors and DuckDB's native ones) and of its child processes
     * alive now (the standalone cluster's master, workers and their executors).
     */
    static long cpuNanos() {
        long nanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return nanos + ProcessHandle.current().descendants().mapToLong(p -> p.info().totalCpuDuration()
                .map(Duration::toNanos).orElse(0L)).sum();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void deleteRecursively(Path folder) {
        if (Files.notExists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + folder, e);
        }
    }

    /** The phases' medians, the ratios, the scaling from one worker to two and the projection to 100 GB. */
    static void report(List<Phase> phases, long csvBytes, int rounds, int splitMb, int shufflePartitions) {
        double gb = csvBytes / 1e9;
        System.out.printf(Locale.ROOT, "%nRetail pipeline over %.2f GB of CSV, medians of %d rounds per phase, same "
                + "JVM; load after: %s%n", gb, rounds, load());
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %7s %7s %6s %9s %9s %9s %8s %8s%n", "phase", "spark s",
                "cpu s", "duckdb s", "cpu s", "wall x", "cpu x", "tasks", "run s", "exec cpu", "shuf MB", "task ms",
                "schema s");
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %9.3f %9.3f %7.2f %7.2f %6.0f %9.3f %9.3f %9.1f %8.1f "
                    + "%8.1f%n", p.name(), p.spark(), p.sparkCpu(), p.duckdb(), p.duckdbCpu(), p.spark() / p.duckdb(),
                    p.sparkCpu() / p.duckdbCpu(), p.tasks(), p.runSeconds(), p.executorCpuSeconds(), p.shuffleMb(),
                    p.taskOverheadMs(), p.schemaSeconds());
        }
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "%s: Spark %.2f GB/min, %.1f CPU-s per GB; DuckDB %.2f GB/min, %.1f CPU-s "
                    + "per GB%n", p.name(), gb / (p.spark() / 60), p.sparkCpu() / gb, gb / (p.duckdb() / 60),
                    p.duckdbCpu() / gb);
        }
        Phase one = phases.stream().filter(p -> p.name().contains("1 worker")).findFirst().orElse(null);
        Phase two = phases.stream().filter(p -> p.name().contains("2 workers")).findFirst().orElse(null);
        if (one != null && two != null) {
            System.out.printf(Locale.ROOT, "scaling 1 -> 2 workers: %.2fx faster (%.2fx with each phase's time over "
                    + "its own DuckDB rounds, which corrects for load drift between the phases); executor CPU "
                    + "%.1f s -> %.1f s%n", one.spark() / two.spark(), (one.spark() / one.duckdb())
                    / (two.spark() / two.duckdb()), one.executorCpuSeconds(), two.executorCpuSeconds());
        }
        Phase basis = two != null ? two : phases.get(phases.size() - 1);
        project(basis, csvBytes, splitMb, shufflePartitions);
    }

    /**
     * 100 GB of CSV on N executors of one core from a phase's costs: the work grows with the data, from the
     * executors' run time as measured (on this loaded machine) and from their CPU time (what a dedicated core would
     * take, I/O aside); the scan tasks grow with the bytes read (splits of a fixed size), the other tasks are per
     * statement (shuffle partitions raised to 200), each at the measured fixed cost of a task; the rest of the wall
     * time (the driver: planning, stage barriers, each table's commit) stays as measured.
     */
    private static void project(Phase measured, long csvBytes, int splitMb, int shufflePartitions) {
        double factor = 100e9 / csvBytes;
        double run = measured.runSeconds() * factor;
        double cpu = measured.executorCpuSeconds() * factor;
        // scan tasks: one per split of the bytes read; the others (shuffle reads, one-partition steps) stay per
        // statement, with the shuffle partitions raised to Spark's default 200 for 100 GB
        double scanTasks = Math.ceil(measured.inputMb() * 1e6 * factor / (splitMb * 1024.0 * 1024.0));
        double tasks = scanTasks + measured.tasks() * 200.0 / shufflePartitions;
        double taskSeconds = tasks * measured.taskOverheadMs() / 1000;
        double driver = Math.max(0, measured.spark() - (measured.runSeconds() + measured.tasks()
                * measured.taskOverheadMs() / 1000) / measured.slots());
        System.out.printf(Locale.ROOT, "%nprojection to 100 GB of CSV (x%.1f the measured data) from '%s': executor "
                + "run time %.0f s (CPU time %.0f s), ~%.0f tasks of %.1f ms fixed cost, driver %.1f s%n", factor,
                measured.name(), run, cpu, tasks, measured.taskOverheadMs(), driver);
        System.out.printf(Locale.ROOT, "  %9s %22s %22s%n", "executors", "from run time", "from CPU time");
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64, 128}) {
            double fromRun = driver + (run + taskSeconds) / n;
            double fromCpu = driver + (cpu + taskSeconds) / n;
            System.out.printf(Locale.ROOT, "  %9d %13.0f s %5.1f min %13.0f s %5.1f min%n", n, fromRun, fromRun / 60,
                    fromCpu, fromCpu / 60);
        }
    }
}
