package dev.sluice.cli;

import dev.sluice.Sluice;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workload {@code mvn package} runs under {@code -XX:ArchiveClassesAtExit} to make the class-data-sharing archive
 * {@code target/sluice.jsa} that {@code ./sluice} starts with: the starter project built once, then each read command
 * on it, so that the archive holds the classes those commands load. Never fails the build: a command that fails
 * here only leaves its classes out of the archive.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        for (String failure : run()) {
            System.err.println(failure);
        }
    }

    /** Runs the workload in a temporary folder (removed after), returning a line for each command that failed. */
    static List<String> run() throws IOException {
        Path dir = Files.createTempDirectory("sluice-cds");
        List<String> failures = new ArrayList<>();
        try {
            Path project = dir.resolve("shop");
            Sluice.init(project);
            String root = project.toString();
            List<List<String>> commands = List.of(List.of("run", root), List.of("query", root, "SELECT 1"),
                    List.of("runs", root), List.of("state", root), List.of("quality", root), List.of("ls", root),
                    List.of("lineage", root, "daily_revenue.revenue"), List.of("windows", root),
                    List.of("storage", root), List.of("plan", root), List.of("--help"));
            for (List<String> command : commands) {
                StringWriter err = new StringWriter();
                int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                        command.toArray(String[]::new));
                if (code != 0) {
                    failures.add(String.format("sluice %s (class-data-sharing workload) exited with %d: %s",
                            command.get(0), code, err.toString().strip()));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        return failures;
    }
}
