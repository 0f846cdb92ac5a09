package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code sluice} launcher run as a user runs it, in a JVM of its own on Sluice's own class path: this module's
 * test class path without Iceberg's Spark runtime. That runtime bundles Iceberg with a shaded Parquet, so Sluice's
 * DuckDB engine cannot write Iceberg tables in the same JVM as Spark's Iceberg (Sluice hands Iceberg's
 * {@code ParquetUtil} an unshaded footer: {@code NoSuchMethodError}); a user runs Sluice and Spark apart too.
 */
final class SluiceProcess {
    private SluiceProcess() {
    }

    /** The class path of the tests, one entry a line as surefire gives it (or the JVM's own). */
    static List<String> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).toList();
    }

    /** Runs {@code sluice <args>} and returns what it printed; fails the test unless it exits 0. */
    static String sluice(String... args) {
        String classPath = String.join(File.pathSeparator, testClassPath().stream()
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("iceberg-spark-runtime"))
                .toList());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", classPath,
                "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("sluice %s finished", List.of(args)).isTrue();
            assertThat(process.exitValue()).as("sluice %s:%n%s", List.of(args), output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sluice " + List.of(args) + " ran", e);
        }
    }
}
