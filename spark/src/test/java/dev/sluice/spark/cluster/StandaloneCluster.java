package dev.sluice.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback for one test class: a master ({@code org.apache.spark.deploy.master.Master})
 * and workers ({@code org.apache.spark.deploy.worker.Worker}), each a JVM of its own, started as Spark's
 * {@code sbin/start-master.sh} and {@code start-worker.sh} would; each worker launches its executors as further JVMs.
 * <p>
 * Spark is not installed here: the cluster gets a Spark home of its own whose {@code jars/} folder links the test
 * class path's jars, as an installation's does (without Iceberg's plain jars, which core's test-jar brings and which
 * would split Iceberg's classes between two Parquets beside Iceberg's Spark runtime). The test's own class folders
 * reach the executors as {@code spark.executor.extraClassPath}, as an application's jars would.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final String masterUrl;
    private final int masterUi;
    private final List<String> folders;
    private final int coresPerWorker;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(int masterPort, int masterUi, List<String> folders, int coresPerWorker,
            Process master) {
        this.masterUrl = "spark://127.0.0.1:" + masterPort;
        this.masterUi = masterUi;
        this.folders = folders;
        this.coresPerWorker = coresPerWorker;
        this.master = master;
    }

    /**
     * Starts a master and {@code workers} workers of {@code coresPerWorker} cores each under {@code work}, and
     * returns once the master counts them all alive.
     */
    static StandaloneCluster start(Path work, int workers, int coresPerWorker) {
        try {
            Path home = Files.createDirectories(work.resolve("spark-home"));
            Path jars = Files.createDirectories(home.resolve("jars"));
            List<String> folders = new ArrayList<>();
            for (String entry : SluiceProcess.testClassPath()) {
                Path path = Path.of(entry);
                String name = path.getFileName().toString();
                if (Files.isDirectory(path)) {
                    folders.add(path.toAbsolutePath().toString());
                } else if (name.endsWith(".jar") && (!name.startsWith("iceberg-")
                        || name.startsWith("iceberg-spark-runtime")) && Files.notExists(jars.resolve(name))) {
                    Files.createSymbolicLink(jars.resolve(name), path.toAbsolutePath());
                }
            }
            List<String> javaOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(option -> option.startsWith("--add-opens")).toList();
            int port = freePort();
            int ui = freePort();
            Process master = launch(home, work.resolve("master.log"), javaOptions, folders,
                    "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--webui-port", Integer.toString(ui));
            StandaloneCluster cluster = new StandaloneCluster(port, ui, folders, coresPerWorker, master);
            try {
                for (int i = 0; i < workers; i++) {
                    Path dir = Files.createDirectories(work.resolve("worker-" + i));
                    cluster.workers.add(launch(home, work.resolve("worker-" + i + ".log"), javaOptions, folders,
                            "org.apache.spark.deploy.worker.Worker", cluster.masterUrl, "--host", "127.0.0.1",
                            "--port", "0", "--webui-port", "0", "--cores", Integer.toString(coresPerWorker),
                            "--memory", "1g", "--work-dir", dir.toString()));
                }
                cluster.awaitAliveWorkers(workers, work);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:<port>}. */
    String masterUrl() {
        return masterUrl;
    }

    /** How many workers the master counts alive now (its JSON status page). */
    int aliveWorkers() {
        try {
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + masterUi + "/json/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher alive = ALIVE.matcher(status.body());
            return alive.find() ? Integer.parseInt(alive.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What an application needs to run on the cluster with one executor of {@code coresPerWorker} cores on each of
     * {@code executors} workers: the test's classes, and a first job that waits until every
     * executor has registered (so that a test sees them all).
     */
    Map<String, String> applicationConf(int executors) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, folders));
        // Spark adds its own --add-opens to an executor's command
        conf.put("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        conf.put("spark.executor.memory", "768m");
        conf.put("spark.executor.cores", Integer.toString(coresPerWorker));
        conf.put("spark.cores.max", Integer.toString(executors * coresPerWorker));
        conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "300s");
        return conf;
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process process : all) {
            // a worker's executors are its child JVMs: end them with it
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : all) {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitAliveWorkers(int expected, Path work) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (aliveWorkers() < expected) {
            if (System.nanoTime() > deadline || !master.isAlive() || workers.stream().anyMatch(w -> !w.isAlive())) {
                throw new AssertionError("the standalone cluster did not start " + expected + " workers (master "
                        + (master.isAlive() ? "alive" : "dead") + "); logs in " + work);
            }
            try {
                // the master's page is the only readiness signal a standalone cluster gives (its logs go to NOP)
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Process launch(Path home, Path log, List<String> javaOptions, List<String> folders,
            String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(javaOptions);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-cp");
        List<String> classPath = new ArrayList<>(folders);
        classPath.add(home.resolve("jars").toString() + "/*");
        command.add(String.join(java.io.File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        // Spark's launcher asks for the Scala version of a home that is not a Spark build
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_LOCAL_DIRS", System.getProperty("java.io.tmpdir"));
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
