package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ForkedLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java runtime {@code mvn package} links for {@code ./sluice} ({@code src/build/link-runtime}): it runs a whole
 * pipeline, and DuckDB's driver, which sets up JFR in every process of a full JDK, never does in it.
 */
class LinkedRuntimeIT {
    /** The class JFR's set-up loads first when DuckDB's driver registers its periodic event. */
    private static final String JFR_SETUP = "jdk.jfr.internal.MetadataRepository ";
    private static final String QUERY = "SELECT 6 * 7000007 AS answer";

    /** One runtime for the class: linking takes seconds. */
    @TempDir
    static Path linkedIn;
    private static Path runtime;

    @TempDir
    Path dir;

    @BeforeAll
    static void linkOnce() throws Exception {
        runtime = linkedIn.resolve("runtime");
        link(runtime);
    }

    @Test
    void runsAPipelineWithoutSettingUpJfr() throws Exception {
        String project = dir.resolve("shop").toString();
        assertThat(sluice("init", project).code()).isZero();

        ForkedLauncher linked = ForkedLauncher.in(dir).logTo(dir.resolve("linked.log"))
                .java(runtime.resolve("bin/java")).jvmOption("-Xlog:class+load=info");
        assertThat(linked.run("run", project)).as(linked.output()).isZero();
        assertThat(linked.run("query", project, QUERY)).as(linked.output()).isZero();
        assertThat(linked.output()).contains("Run 1 succeeded").contains("42000042").doesNotContain(JFR_SETUP);

        // The same query on the JDK that built Sluice: the driver sets JFR up there.
        ForkedLauncher jdk = ForkedLauncher.in(dir).logTo(dir.resolve("jdk.log")).jvmOption("-Xlog:class+load=info");
        assertThat(jdk.run("query", project, QUERY)).as(jdk.output()).isZero();
        assertThat(jdk.output()).contains("42000042").contains(JFR_SETUP);
    }

    @Test
    void aRuntimeLinkedFromTheSameJdkIsKept() throws Exception {
        Path release = runtime.resolve("release");
        FileTime linked = FileTime.fromMillis(0);
        Files.setLastModifiedTime(release, linked);

        link(runtime);
        assertThat(Files.getLastModifiedTime(release)).as("not linked again").isEqualTo(linked);

        Files.writeString(runtime.resolve("sluice-runtime"), "another JDK\n");
        link(runtime);
        assertThat(Files.getLastModifiedTime(release)).as("linked again for another JDK").isNotEqualTo(linked);
    }

    private static void link(Path runtime) throws Exception {
        Path log = linkedIn.resolve("link.log");
        Process process = new ProcessBuilder("bash", Path.of("src/build/link-runtime").toAbsolutePath().toString(),
                System.getProperty("java.home"), runtime.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("link-runtime did not finish in five minutes:\n" + Files.readString(log));
        }
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }
}
