package dev.sluice.bench;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Iceberg benchmark: the retail example's marts written as Iceberg tables ({@code storage: { format: iceberg }})
 * against the same marts written as Parquet lake folders ({@code format: parquet}), in the same JVM, rounds
 * interleaved: the marts' build time (median of the rounds; the same SQL and layout, so the difference is the
 * writing and committing) and bytes (the current files, and the whole folder with Iceberg's metadata and the
 * snapshots kept for time travel).
 */
@Command(name = "bench/run iceberg", mixinStandardHelpOptions = true,
        description = "Retail marts as Iceberg tables against Parquet lake folders: build time and bytes.")
public final class IcebergBenchmark implements Callable<Integer> {
    @Option(names = "--retail-scale", description = "Multiplier of the retail example's source rows "
            + "(default ${DEFAULT-VALUE}).")
    double retailScale = 20;

    @Option(names = "--rounds", description = "Measured rounds; the median is kept (default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--warmup", description = "Unmeasured rounds first (default ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--work", description = "Folder for the projects (default ${DEFAULT-VALUE}).")
    Path work = Path.of("target/bench-iceberg");

    private static final List<String> FORMATS = List.of("parquet", "iceberg");

    public static void main(String[] args) {
        System.exit(new CommandLine(new IcebergBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        work = work.toAbsolutePath();
        Timings.deleteRecursively(work);
        Files.createDirectories(work);
        Map<String, Sluice> projects = new LinkedHashMap<>();
        for (String format : FORMATS) {
            Path project = work.resolve(format);
            Timings.copyRecursively(Path.of("sql/examples/retail"), project);
            Timings.deleteRecursively(project.resolve("target"));
            OverheadBenchmark.scaleSources(project.resolve("sluice.yml"), retailScale);
            lakeMarts(project, format);
            Sluice sluice = Sluice.open(project);
            check(sluice.run(RunOptions.defaults()), format);
            projects.put(format, sluice);
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Long> currentBytes = new LinkedHashMap<>();
        FORMATS.forEach(format -> seconds.put(format, new ArrayList<>()));
        Timings.rounds(warmup, rounds, (label, measured) -> {
            for (String format : FORMATS) {
                RunResult run = projects.get(format).run(RunOptions.defaults().withSelect("tag:marts")
                        .withFullRefresh());
                check(run, format);
                double total = run.models().stream().filter(m -> m.relation().startsWith("marts."))
                        .mapToLong(m -> m.duration().toNanos()).sum() / 1e9;
                long bytes = ((Number) projects.get(format).query("SELECT sum(bytes) FROM sluice.model_runs WHERE "
                        + "run_id = " + run.runId() + " AND relation LIKE 'marts.%'").rows().get(0).get(0)).longValue();
                currentBytes.put(format, bytes);
                System.out.printf(Locale.ROOT, "%-9s %-7s marts built in %.3f s, %s%n", label, format, total,
                        Timings.bytes(bytes));
                if (measured) {
                    seconds.get(format).add(total);
                }
            }
        });
        double parquet = Timings.median(seconds.get("parquet"));
        double iceberg = Timings.median(seconds.get("iceberg"));
        System.out.printf(Locale.ROOT, "%nRetail marts (sources x%s), median of %d rounds, same JVM:%n", retailScale,
                rounds);
        System.out.printf(Locale.ROOT, "  Parquet folder: %.3f s, %s of current files, %s on disk%n", parquet,
                Timings.bytes(currentBytes.get("parquet")), Timings.bytes(folderBytes(work.resolve("parquet"))));
        System.out.printf(Locale.ROOT, "  Iceberg table:  %.3f s, %s of current files, %s on disk (metadata and "
                + "the %d earlier snapshots' files kept for time travel)%n", iceberg,
                Timings.bytes(currentBytes.get("iceberg")), Timings.bytes(folderBytes(work.resolve("iceberg"))),
                warmup + rounds);
        System.out.printf(Locale.ROOT, "  Iceberg / Parquet: time x%.2f, current bytes x%.3f%n", iceberg / parquet,
                (double) currentBytes.get("iceberg") / currentBytes.get("parquet"));
        return 0;
    }

    /** Every mart of the example written to the lake in {@code format}, its other settings as they are. */
    private static void lakeMarts(Path project, String format) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("models/marts"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                String text = Files.readString(file);
                Files.writeString(file, text.replaceFirst("(?m)^schema: marts$", "schema: marts\nstorage: { format: "
                        + format + " }"));
            }
        }
    }

    private static long folderBytes(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("target/lake"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void check(RunResult run, String format) {
        for (ModelResult model : run.models()) {
            if (model.error() != null) {
                throw new IllegalStateException("the retail run with " + format + " marts failed: " + model.model()
                        + ": " + model.error());
            }
        }
    }
}
