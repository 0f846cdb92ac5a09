package dev.sluice;

import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher ({@code dev.sluice.cli.Main}) in a JVM of its own on the test class path, its output appended to a
 * log file: for kills that land exactly at a fault point, and for checking what a child process writes. Its temporary
 * files go under the test's folder.
 */
public final class ForkedLauncher {
    private static final long PATIENCE_SECONDS = 120;
    private final Path dir;
    private final Path log;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    /** Where in the log the last started child began writing: earlier children's lines are not its own. */
    private long mark;

    private ForkedLauncher(Path dir, Path log) {
        this.dir = dir;
        this.log = log;
    }

    /** A launcher whose temporary files go under {@code dir} and whose output goes to {@code dir/forked.log}. */
    public static ForkedLauncher in(Path dir) {
        return new ForkedLauncher(dir, dir.resolve("forked.log"));
    }

    /** The same launcher, its output appended to {@code file} instead. */
    public ForkedLauncher logTo(Path file) {
        ForkedLauncher other = new ForkedLauncher(dir, file);
        other.jvmOptions.addAll(jvmOptions);
        other.environment.putAll(environment);
        other.java = java;
        return other;
    }

    /** Adds {@code -Dname=value} to the child JVM. */
    public ForkedLauncher property(String name, String value) {
        return jvmOption("-D" + name + "=" + value);
    }

    /** Adds an option to the child JVM's command line, such as {@code -Xlog:class+load}. */
    public ForkedLauncher jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the child on {@code executable} instead of the tests' own {@code java}. */
    public ForkedLauncher java(Path executable) {
        java = executable;
        return this;
    }

    /** Puts a variable in the child's environment. */
    public ForkedLauncher environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The log the child writes to. */
    public Path log() {
        return log;
    }

    /** What the child has written so far. */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    /** Starts the launcher with {@code args}; returns at once. */
    public Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    private Process start(List<String> more, String... args) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmOptions);
        command.addAll(more);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        mark = Files.exists(log) ? Files.size(log) : 0;
        return builder.start();
    }

    /**
     * Starts the launcher stopping at fault point {@code pause} ({@code POINT:MODEL}) and returns once it waits there,
     * so that a kill lands exactly at that point.
     */
    public Process startPaused(String pause, String... args) throws Exception {
        Process process = start(List.of("-D" + FaultPoints.PAUSE_PROPERTY + "=" + pause), args);
        try {
            waitForLine(process, FaultPoints.PAUSED + pause);
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return process;
    }

    /** Runs the launcher with {@code args} to its end; its exit code. */
    public int run(String... args) throws Exception {
        Process process = start(args);
        if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in " + PATIENCE_SECONDS + " s; its log: " + output());
        }
        return process.exitValue();
    }

    /** What the last started child has written: the log from its byte offset at the start (the text may be UTF-8). */
    private String sinceMark() throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        return new String(bytes, (int) Math.min(mark, bytes.length), (int) Math.max(0, bytes.length - mark),
                StandardCharsets.UTF_8);
    }

    /** Waits until the last started child has written {@code line} to its log (it then waits there to be killed). */
    public void waitForLine(Process process, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(log) && sinceMark().contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the forked process never printed '" + line + "'; its log: " + output());
    }
}
