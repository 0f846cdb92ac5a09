package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static class-data-sharing archive as {@code mvn package} dumps it (a class list, then {@code -Xshare:dump}),
 * made here over the launcher's classes in a jar and the test's dependency jars: picocli's classes, Java 5 class files
 * that only a static archive takes, end up in it, as long as nothing of ours makes the dump link them (a lambda or
 * method reference naming a picocli type does).
 */
class CdsArchiveIT {
    @TempDir
    Path dir;

    @Test
    void picocliComesFromTheArchive() throws Exception {
        String classPath = classPath();
        Path list = dir.resolve("sluice.classlist");
        Path archive = dir.resolve("sluice.jsa");
        java(dir.resolve("list.log"), "-XX:DumpLoadedClassList=" + list, "-cp", classPath, "dev.sluice.cli.Main",
                "--help");
        String dump = java(dir.resolve("dump.log"), "-Xshare:dump", "-XX:SharedClassListFile=" + list,
                "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=warning", "-cp", classPath);
        assertThat(dump).as("no picocli class skipped by the dump").doesNotContain("Skipping picocli");

        String loaded = java(dir.resolve("run.log"), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info", "-cp", classPath, "dev.sluice.cli.Main", "--version");
        assertThat(loaded).contains("sluice " + dev.sluice.Sluice.VERSION)
                .contains("picocli.CommandLine source: shared objects file")
                .doesNotContain("picocli.CommandLine source: file:");
    }

    /** The launcher's classes as a jar (a class-data-sharing archive takes jars only), then the dependency jars. */
    private String classPath() throws IOException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = dir.resolve("sluice-classes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                ((OutputStream) out).write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : testClassPath.split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)) && !entry.contains("surefire")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Runs a child JVM to its end (at most five minutes) and returns what it printed, stdout and stderr together. */
    private static String java(Path log, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-opens=java.base/java.nio=ALL-UNNAMED"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("java " + String.join(" ", arguments) + " did not finish in five minutes");
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("java %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}
