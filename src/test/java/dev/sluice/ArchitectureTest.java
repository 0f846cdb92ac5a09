package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the package rules of STYLE.md: which packages may see Calcite, JDBC and DuckDB, and who uses whom. */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/sluice");

    /** Imports of every main source file whose package is not in {@code allowed} and that start with {@code prefix}. */
    private static List<String> offenders(String prefix, Set<String> allowed) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String pkg = relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
                if (allowed.contains(pkg)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                        offenders.add(relative + ": " + line);
                    }
                }
            }
        }
        return offenders;
    }

    @Test
    void calciteStaysInsidePlanAndLineage() throws IOException {
        assertThat(offenders("org.apache.calcite", Set.of("plan", "lineage"))).isEmpty();
    }

    @Test
    void jdbcAndDuckDbStayInsideEngineCatalogConnectAndJdbc() throws IOException {
        Set<String> allowed = Set.of("engine", "catalog", "connect", "jdbc");
        assertThat(offenders("java.sql", allowed)).isEmpty();
        assertThat(offenders("org.duckdb", allowed)).isEmpty();
    }

    @Test
    void theLauncherUsesOnlyThePublicApiAndValueTypes() throws IOException {
        List<String> imports = offenders("dev.sluice.", Set.of("", "project", "plan", "exec", "engine", "catalog",
                "connect", "quality", "incremental", "lineage", "docs", "storage", "window"));
        // cli sees only the top-level types of dev.sluice (Sluice, its options, results and values) and itself
        assertThat(imports).allMatch(line -> line.contains("dev.sluice.cli.")
                || line.matches(".*import dev\\.sluice\\.[A-Z].*"));
    }

    @Test
    void theProjectPackageDependsOnNothingElseOfSluice() throws IOException {
        List<String> imports = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("project"))) {
            for (Path file : files.toList()) {
                Files.readAllLines(file).stream()
                        .filter(line -> line.startsWith("import dev.sluice.") && !line.matches(
                                "import dev\\.sluice\\.(ErrorCode|SluiceException|project\\..*);"))
                        .forEach(imports::add);
            }
        }
        assertThat(imports).isEmpty();
    }

    @Test
    void theWindowPackageIsPureArithmeticOverProjectValues() throws IOException {
        List<String> imports = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("window"))) {
            for (Path file : files.toList()) {
                Files.readAllLines(file).stream()
                        .filter(line -> line.startsWith("import dev.sluice.") && !line.matches(
                                "import dev\\.sluice\\.project\\.(TimeSpan|TimeWindow);"))
                        .forEach(imports::add);
            }
        }
        assertThat(imports).isEmpty();
    }
}
