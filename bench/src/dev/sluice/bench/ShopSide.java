package dev.sluice.bench;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * One side of {@link ShopBenchmark} in a JVM of its own: {@code sluice <project> <warehouse folder>} runs the project
 * with default settings into a fresh warehouse; {@code raw <database file> <statements file>} runs the statements
 * (separated by {@link ShopBenchmark#STATEMENT_END}) on one DuckDB connection into a fresh file. Prints what each
 * step took, then {@code RESULT <nanos> <peak RSS in kB> <database bytes> <process CPU nanos>}.
 */
final class ShopSide {
    private ShopSide() {
    }

    /** The layout and statistics time of each model build of the last run, as the catalog recorded them. */
    static List<String> buildCosts(Sluice sluice) {
        try {
            return sluice.query("SELECT model, layout_ms, statistics_ms FROM sluice.model_runs WHERE run_id = (SELECT "
                    + "max(run_id) FROM sluice.model_runs) AND layout_ms IS NOT NULL ORDER BY model").rows().stream()
                    .map(row -> String.format(Locale.ROOT, "  %-24s layout %s ms, statistics %s ms", row.get(0),
                            row.get(1), row.get(2))).toList();
        } catch (dev.sluice.SluiceException e) {
            return List.of("  (this catalog records no layout or statistics time per build)");
        }
    }

    public static void main(String[] args) throws Exception {
        long start;
        long end;
        Path file;
        if (args[0].equals("sluice")) {
            Timings.deleteRecursively(Path.of(args[2]));
            start = System.nanoTime();
            Sluice sluice = Sluice.open(Path.of(args[1]));
            long opened = System.nanoTime();
            RunMarks marks = new RunMarks();
            RunResult result = sluice.run(RunOptions.defaults(), marks);
            end = System.nanoTime();
            // where the time went before the first model: the project read, then the warehouse, catalog and plan,
            // then the source loads and the run's lineage
            System.out.printf(Locale.ROOT, "phase  open %s, plan and catalog %s, sources %s, models and after %s%n",
                    Timings.seconds(opened - start), Timings.seconds(marks.runStarted - opened),
                    Timings.seconds(marks.firstModel - marks.runStarted), Timings.seconds(end - marks.firstModel));
            if (!result.succeeded()) {
                throw new IllegalStateException("the Sluice run failed: " + result.models().stream()
                        .map(ModelResult::error).filter(e -> e != null).toList()
                        + result.sources().stream().map(SourceResult::error).filter(e -> e != null).toList());
            }
            for (SourceResult source : result.sources()) {
                System.out.printf(Locale.ROOT, "source %-22s %s%n", source.source(),
                        Timings.seconds(source.duration().toNanos()));
            }
            for (ModelResult model : result.models()) {
                System.out.printf(Locale.ROOT, "model  %-22s %s%n", model.model(),
                        Timings.seconds(model.duration().toNanos()));
            }
            buildCosts(sluice).forEach(System.out::println);
            file = sluice.project().warehouse();
        } else {
            file = Path.of(args[1]);
            Timings.deleteRecursively(file.getParent());
            Files.createDirectories(file.getParent());
            List<String> statements = List.of(Files.readString(Path.of(args[2])).split(ShopBenchmark.STATEMENT_END));
            start = System.nanoTime();
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                    Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    long begun = System.nanoTime();
                    statement.execute(sql);
                    long took = System.nanoTime() - begun;
                    if (took > 100_000_000L) {
                        System.out.printf(Locale.ROOT, "step   %s  %s%n", Timings.seconds(took),
                                sql.substring(0, Math.min(60, sql.length())).replace('\n', ' '));
                    }
                }
            }
            end = System.nanoTime();
        }
        long peak = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        // CPU time of the whole process (every thread, DuckDB's too), less sensitive than wall time to other load
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.printf(Locale.ROOT, "cpu    %s (process, JVM start included)%n", Timings.seconds(cpu));
        System.out.printf(Locale.ROOT, "RESULT %d %d %d %d%n", end - start, peak, Files.size(file), cpu);
    }
}
