package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java runtime {@code mvn package} links for {@code ./sluice} ({@code src/build/link-runtime}): it runs a whole
 * pipeline, and DuckDB's driver, which sets up JFR in every process of a full JDK, never does in it.
 */
class LinkedRuntimeIT {
    /** The class JFR's set-up loads first when DuckDB's driver registers its periodic event. */
    private static final String JFR_SETUP = "jdk.jfr.internal.MetadataRepository ";

    @TempDir
    Path dir;

    @Test
    void runsAPipelineWithoutSettingUpJfr() throws Exception {
        Path runtime = dir.resolve("runtime");
        link(runtime);
        String project = dir.resolve("shop").toString();
        assertThat(sluice("init", project).code()).isZero();

        String run = java(runtime.resolve("bin/java"), "run", project);
        assertThat(run).contains("Run 1 succeeded").doesNotContain(JFR_SETUP);
        String query = java(runtime.resolve("bin/java"), "query", project, "SELECT 6 * 7000007 AS answer");
        assertThat(query).contains("42000042").doesNotContain(JFR_SETUP);

        // The same command on the JDK that built Sluice: the driver sets JFR up there.
        String jdk = java(Path.of(System.getProperty("java.home"), "bin", "java"), "query", project,
                "SELECT 6 * 7000007 AS answer");
        assertThat(jdk).contains("42000042").contains(JFR_SETUP);
    }

    @Test
    void aRuntimeLinkedFromTheSameJdkIsKept() throws Exception {
        Path runtime = dir.resolve("runtime");
        link(runtime);
        Path release = runtime.resolve("release");
        FileTime linked = FileTime.fromMillis(0);
        Files.setLastModifiedTime(release, linked);

        link(runtime);
        assertThat(Files.getLastModifiedTime(release)).as("not linked again").isEqualTo(linked);

        Files.writeString(runtime.resolve("sluice-runtime"), "another JDK\n");
        link(runtime);
        assertThat(Files.getLastModifiedTime(release)).as("linked again for another JDK").isNotEqualTo(linked);
    }

    private void link(Path runtime) throws IOException, InterruptedException {
        run(dir.resolve("link.log"), List.of("bash", Path.of("src/build/link-runtime").toAbsolutePath().toString(),
                System.getProperty("java.home"), runtime.toString()));
    }

    /** Sluice's launcher class on {@code java}, logging every class it loads; returns what the process printed. */
    private String java(Path java, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xlog:class+load=info", "-cp", classPath(), "dev.sluice.cli.Main"));
        command.addAll(List.of(arguments));
        return run(dir.resolve("java.log"), command);
    }

    /** The launcher's classes and their dependency jars, as the tests see them. */
    private static String classPath() {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : testClassPath.split(File.pathSeparator)) {
            if (!entry.contains("surefire") && !entry.endsWith("test-classes")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Runs a process to its end (at most five minutes), fails unless it exits 0, and returns what it printed. */
    private static String run(Path log, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish in five minutes");
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
        return output;
    }
}
