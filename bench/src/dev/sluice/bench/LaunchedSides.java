package dev.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two sides of a whole-process comparison as a user meets them: Sluice's side is {@code ./sluice run} (the
 * launcher's jar, class-data-sharing archive and JVM options), raw DuckDB's a JVM running {@link ShopSide} {@code raw};
 * both timed from the launch to the exit, their CPU and peak RSS from GNU time, so that both count the same.
 */
final class LaunchedSides {
    /** The line {@code -Dsluice.phases} makes a command print ({@link dev.sluice.StartupPhases}). */
    static final String PHASES = "sluice.phases:";

    /** GNU time's report of a child: wall seconds, user and system CPU seconds, peak RSS in kB. */
    private static final String TIME_LINE = "TIME ";
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    private LaunchedSides() {
    }

    /** The repository's launcher, when it can be run from the working directory. */
    static Path launcher() {
        return Path.of("sluice").toAbsolutePath();
    }

    /** Builds the launcher's jar and archive when they are missing or stale, so that no timed run does. */
    static void prepare(Path launcher) throws Exception {
        runLauncher(launcher, List.of("--version"), Map.of());
    }

    /**
     * Writes every dirty page of the machine to disk ({@code sync}) before a side is timed, so that neither side pays
     * for the write-back of the database the side before it wrote (bench/SHOP.md, round 10).
     */
    static void settle() throws Exception {
        Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
        sync.getInputStream().readAllBytes();
        sync.waitFor();
    }

    /**
     * {@code ./sluice run project} into a fresh warehouse (its folder deleted first: no catalog, no plan cache), with
     * {@code -Dsluice.phases}: the whole process's wall time, CPU and peak RSS (GNU time), the time the process itself
     * reports (its phases' total), and its output (the phases line, each source's and model's line).
     */
    static ShopBenchmark.Child sluice(Path launcher, Path project, Path warehouse) throws Exception {
        Timings.deleteRecursively(warehouse.getParent());
        settle();
        long launchedAt = System.currentTimeMillis();
        // SLUICE_JAVA_OPTS of the benchmark's caller still apply (e.g. -XX:TieredStopAtLevel=4 to time the launcher
        // with the JIT's optimising tier)
        String options = (System.getenv().getOrDefault("SLUICE_JAVA_OPTS", "") + " -Dsluice.phases=" + launchedAt).strip();
        Launched run = runLauncher(launcher, List.of("run", project.toString()), Map.of("SLUICE_JAVA_OPTS", options));
        if (run.lines().stream().anyMatch(line -> line.startsWith("sluice: building"))) {
            throw new IllegalStateException("./sluice rebuilt its jar inside a timed run: core's sources changed while "
                    + "the benchmark ran; run it again without editing them");
        }
        long inProcess = run.lines().stream().filter(line -> line.startsWith(PHASES)).findFirst()
                .map(line -> Long.parseLong(line.substring(line.lastIndexOf("total=") + "total=".length())))
                .orElse(0L) * 1_000_000L;
        // the phases, and a line per source load and per model build (not the quality lines under them)
        List<String> details = run.lines().stream().filter(line -> !line.startsWith(TIME_LINE)
                && !line.isBlank() && !Character.isWhitespace(line.charAt(0))).toList();
        return new ShopBenchmark.Child(inProcess, run.peakKb(), Files.size(warehouse), run.cpuNanos(), details,
                run.nanos());
    }

    /**
     * Raw DuckDB's side ({@link ShopSide} {@code raw}: the statements on one connection) in a JVM on {@code classPath}
     * with heap limit {@code heap}, measured as {@link #sluice} measures Sluice's.
     */
    static ShopBenchmark.Child raw(String classPath, String heap, Path rawFile, Path statements) throws Exception {
        // deleted here, outside the timing, as Sluice's warehouse is (the child deletes it too when it runs alone)
        Timings.deleteRecursively(rawFile.getParent());
        settle();
        Launched run = timed(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx" + heap,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", classPath,
                ShopSide.class.getName(), "raw", rawFile.toString(), statements.toString()), Map.of());
        String[] result = run.lines().stream().filter(line -> line.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the raw side printed no result:\n"
                        + String.join("\n", run.lines()))).split(" ");
        List<String> details = run.lines().stream().filter(line -> line.startsWith("step ")).toList();
        return new ShopBenchmark.Child(Long.parseLong(result[1]), run.peakKb() > 0 ? run.peakKb()
                : Long.parseLong(result[2]), Long.parseLong(result[3]), run.cpuNanos() > 0 ? run.cpuNanos()
                : Long.parseLong(result[4]), details, run.nanos());
    }

    /** A child's output lines (stdout and stderr), wall time, CPU time and peak RSS (0 without GNU time). */
    private record Launched(List<String> lines, long nanos, long cpuNanos, long peakKb) {
    }

    private static Launched runLauncher(Path launcher, List<String> args, Map<String, String> environment)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        return timed(command, environment);
    }

    /** Runs {@code command} under GNU time when the machine has it; fails when it exits with an error. */
    private static Launched timed(List<String> child, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(GNU_TIME)) {
            command.addAll(List.of(GNU_TIME.toString(), "-f", TIME_LINE + "%e %U %S %M"));
        }
        command.addAll(child);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        int exit = process.waitFor();
        long nanos = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", child) + " exited with " + exit + ":\n"
                    + String.join("\n", lines));
        }
        long cpu = 0;
        long peak = 0;
        for (String line : lines) {
            if (line.startsWith(TIME_LINE)) {
                String[] fields = line.substring(TIME_LINE.length()).trim().split(" ");
                cpu = Math.round((Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])) * 1e9);
                peak = Long.parseLong(fields[3]);
            }
        }
        return new Launched(lines, nanos, cpu, peak);
    }
}
