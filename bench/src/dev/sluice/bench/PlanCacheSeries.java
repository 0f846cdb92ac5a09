package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlanReport;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The plan cache series of the planning benchmark: the generated project gets a warehouse with a catalog, one plan
 * fills the cache, then it times (1) reading and planning the project with every model unchanged, in this warm JVM,
 * (2) the same after one model of the first layer changed (it and what its row type change affects re-plan), and
 * (3) `sluice plan` of the unchanged project as a new process. Each plan's report is checked, so a series that
 * re-planned what it should not have fails instead of timing it.
 */
final class PlanCacheSeries {
    private PlanCacheSeries() {
    }

    static void run(Path project, int models, int warmup, int rounds, int processes, double target,
            double processTarget) throws IOException, InterruptedException {
        Project read = ProjectReader.read(project, Map.of());
        Files.createDirectories(read.warehouse().getParent());
        try (Engine engine = Engines.openReadWrite(read)) {
            Catalog.open(engine);
        }
        PlanReport filled = plan(project);
        System.out.printf(Locale.ROOT, "plan cache: filled by one plan (%d models planned)%n", filled.planned().size());

        Timings unchanged = new Timings("plan, every model unchanged");
        Timings unchangedCpu = new Timings("plan, every model unchanged, process CPU");
        for (int i = 0; i < warmup + rounds; i++) {
            long cpu = PlanningBenchmark.processCpuNanos();
            long start = System.nanoTime();
            PlanReport report = plan(project);
            long elapsed = System.nanoTime() - start;
            cpu = PlanningBenchmark.processCpuNanos() - cpu;
            require(report.planned().isEmpty() && report.reused().size() == models, report, "no model planned");
            if (i >= warmup) {
                unchanged.add(elapsed);
                unchangedCpu.add(cpu);
            }
        }

        // One model of the first layer gains a column on every other round: it re-plans, with its direct readers
        // (their inputs' row types changed); their own columns do not change, so nothing further.
        Path changed = Files.walk(project.resolve("models")).filter(file -> file.toString().endsWith("m0000.sql"))
                .findFirst().orElseThrow();
        String original = Files.readString(changed);
        Timings oneChanged = new Timings("plan, one model changed");
        int replanned = 0;
        try {
            for (int i = 0; i < warmup + rounds; i++) {
                Files.writeString(changed, i % 2 == 0 ? widened(original) : original);
                long start = System.nanoTime();
                PlanReport report = plan(project);
                long elapsed = System.nanoTime() - start;
                require(report.planned().contains("m0000") && report.planned().size() < models / 2, report,
                        "m0000 and its readers planned");
                replanned = report.planned().size();
                if (i >= warmup) {
                    oneChanged.add(elapsed);
                }
            }
        } finally {
            Files.writeString(changed, original);
        }
        plan(project);

        System.out.println(unchanged.summary());
        System.out.println(unchangedCpu.summary());
        System.out.println(oneChanged.summary() + "  (" + replanned + " models re-planned)");
        System.out.printf(Locale.ROOT, "target: unchanged plan under %.1f s warm -> %s (median %.3f s)%n", target,
                unchanged.median() < target ? "MET" : "NOT MET", unchanged.median());
        if (processes > 0) {
            // ./sluice as users run it (the launcher jar and its class-data-sharing archive, built by mvn package)
            // and the class path as before, alternating so that both see the same load.
            Path launcher = Path.of("sluice").toAbsolutePath();
            boolean jar = Files.isExecutable(launcher) && Files.exists(Path.of("core", "target", "sluice.jar"));
            Timings process = new Timings("./sluice plan, new process");
            Timings classPath = new Timings("sluice plan on the class path, new process");
            Map<String, Timings> phases = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 1 + processes; i++) {
                long nanos = jar ? launched(launcher, project, phases, i >= 1) : 0;
                long onClassPath = newProcess(project);
                if (i >= 1) {
                    process.add(nanos);
                    classPath.add(onClassPath);
                }
            }
            if (jar) {
                System.out.println(process.summary());
                StringBuilder line = new StringBuilder("  its phases (median ms, -Dsluice.phases):");
                phases.forEach((phase, times) -> line.append(' ').append(phase).append('=')
                        .append(Math.round(times.median() * 1000)));
                System.out.println(line);
            } else {
                System.out.println("./sluice plan: no launcher jar (core/target/sluice.jar: run mvn -pl core package)");
            }
            System.out.println(classPath.summary());
            double median = jar ? process.median() : classPath.median();
            System.out.printf(Locale.ROOT, "target: %s as a new process under %.1f s -> %s (median %.3f s)%n",
                    jar ? "./sluice plan" : "sluice plan on the class path", processTarget,
                    median < processTarget ? "MET" : "NOT MET", median);
        }
    }

    /**
     * {@code ./sluice plan DIR} (the launcher script, its jar and archive), with {@code -Dsluice.phases}: its wall
     * time, and each phase it reports added to {@code phases} when {@code measured}.
     */
    private static long launched(Path launcher, Path project, Map<String, Timings> phases, boolean measured)
            throws IOException, InterruptedException {
        long launchedAt = System.currentTimeMillis();
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "plan", project.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SLUICE_JAVA_OPTS", "-Dsluice.phases=" + launchedAt);
        long start = System.nanoTime();
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException("./sluice plan exited with " + exit + ": " + err);
        }
        if (measured) {
            err.lines().filter(line -> line.startsWith("sluice.phases:")).findFirst().ifPresent(line -> {
                for (String pair : line.substring("sluice.phases:".length()).trim().split(" ")) {
                    String[] parts = pair.split("=");
                    phases.computeIfAbsent(parts[0], Timings::new).add(Long.parseLong(parts[1]) * 1_000_000L);
                }
            });
        }
        return elapsed;
    }

    private static PlanReport plan(Path project) {
        Sluice.open(project);
        return new Pipeline(ProjectReader.read(project, Map.of()), Sluice.VERSION).plan().report();
    }

    /** The model with one more column: {@code SELECT} becomes {@code SELECT 1 AS extra,} in its last query. */
    private static String widened(String sql) {
        int select = sql.lastIndexOf("SELECT\n");
        return sql.substring(0, select) + "SELECT\n    1 AS extra," + sql.substring(select + "SELECT".length());
    }

    private static void require(boolean condition, PlanReport report, String expected) {
        if (!condition) {
            throw new IllegalStateException("expected " + expected + ", the plan re-planned " + report.planned().size()
                    + " models and took " + report.reused().size() + " from the cache");
        }
    }

    /** `sluice plan DIR` as the launcher runs it, in a new JVM on this class path; its output is discarded. */
    private static long newProcess(Path project) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the launcher's options for plan (./sluice): C1 only and the serial collector
        List<String> command = Stream.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                System.getProperty("java.class.path"), "dev.sluice.cli.Main", "plan", project.toString()).toList();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = process.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException("sluice plan exited with " + exit + ": " + String.join(" ", command)
                    .replace(File.pathSeparator, " "));
        }
        return elapsed;
    }

}
