package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.Sluice;
import dev.sluice.exec.FaultPoints;
import dev.sluice.serve.ServerAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} as its own process: the CLI's read commands and run are answered by it while it holds the
 * warehouse, and SIGTERM releases the warehouse, leaving a build it interrupted as it was before the build.
 */
class ServeProcessIT {
    @TempDir
    Path dir;

    private ProjectFixture project() {
        ProjectFixture project = ProjectFixture.at(dir.resolve("shop"));
        project.write("sluice.yml", "name: shop\nsources:\n  raw.orders:\n    type: files\n"
                + "    path: data/orders/*.csv\n    header: true\n");
        project.write("models/stg_orders.sql", "SELECT order_id, amount FROM raw.orders\n");
        project.write("models/revenue.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT count(*) AS orders, sum(amount) AS revenue FROM stg_orders\n");
        project.write("data/orders/a.csv", "order_id,amount\n1,10\n2,20\n");
        assertThat(project.run().succeeded()).isTrue();
        return project;
    }

    /** What one command printed, run in this process as a user runs it, with {@code environment}. */
    private static Launcher.Outcome sluice(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), environment, args);
        return new Launcher.Outcome(code, out.toString(), err.toString());
    }

    @Test
    void theCliTalksToTheServerAndSigtermReleasesTheWarehouse() throws Exception {
        ProjectFixture project = project();
        String root = project.root().toString();
        Forked server = fork(project.root(), List.of(), "serve", root, "--port", "0", "--metrics-port", "0");
        try {
            server.awaitLine("Serving ");
            assertThat(ServerAddress.of(project.root())).isPresent();

            // the server's DuckDB holds the file: these answers can only come from it
            Launcher.Outcome query = sluice(Map.of(), "query", root, "SELECT orders, revenue FROM revenue");
            assertThat(query.code()).as(query.err()).isZero();
            assertThat(query.out()).contains("orders").contains("30");
            project.write("data/orders/b.csv", "order_id,amount\n3,5\n");
            Launcher.Outcome run = sluice(Map.of(), "run", root);
            assertThat(run.code()).as(run.err() + run.out()).isZero();
            assertThat(run.out() + run.err()).contains("revenue");
            Launcher.Outcome runs = sluice(Map.of(), "runs", root);
            assertThat(runs.code()).as(runs.err()).isZero();
            assertThat(runs.out()).contains("success");
            Launcher.Outcome refused = sluice(Map.of(), "query", root, "DELETE FROM revenue");
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("Cannot run query");
        } finally {
            server.process().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // SIGTERM released the lock: the warehouse opens here, and the commands run without a server again
        assertThat(ServerAddress.of(project.root())).isEmpty();
        Launcher.Outcome direct = sluice(Map.of(), "query", root, "SELECT orders FROM revenue");
        assertThat(direct.code()).as(direct.err()).isZero();
        assertThat(direct.out()).contains("3");
    }

    @Test
    void sigtermDuringABuildLeavesThePublishedTablesAsTheyWere() throws Exception {
        ProjectFixture project = project();
        String root = project.root().toString();
        Forked server = fork(project.root(), List.of("-D" + FaultPoints.PAUSE_PROPERTY + "=commit:revenue",
                "-Dsluice.serve.run-grace-seconds=1"), "serve", root, "--port", "0", "--metrics-port", "0");
        CompletableFuture<Launcher.Outcome> run;
        try {
            server.awaitLine("Serving ");
            project.write("data/orders/b.csv", "order_id,amount\n3,5\n");
            run = CompletableFuture.supplyAsync(() -> sluice(Map.of(), "run", root));
            server.awaitLine(FaultPoints.PAUSED + "commit:revenue");
        } finally {
            server.process().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(run.get(60, TimeUnit.SECONDS).code()).isNotZero();
        // the build of revenue never committed; the lock is free and the next run builds it
        Sluice sluice = Sluice.open(project.root());
        assertThat(sluice.query("SELECT orders FROM revenue").rows()).containsExactly(List.of(2L));
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT orders FROM revenue").rows()).containsExactly(List.of(3L));
    }

    /** A forked launcher and the lines it has printed so far. */
    private record Forked(Process process, BlockingQueue<String> lines) {
        void awaitLine(String start) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            while (true) {
                String line = lines.poll(120, TimeUnit.SECONDS);
                assertThat(line).as("the forked launcher printed %s", seen).isNotNull();
                seen.add(line);
                if (line.startsWith(start)) {
                    return;
                }
            }
        }
    }

    private Forked fork(Path project, List<String> properties, String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Forked(process, lines);
    }
}
