package dev.sluice.project;

import java.nio.file.Path;
import java.util.Map;

/** Reads a project with a given environment instead of the JVM's: for tests of {@code ${env:NAME}} secrets. */
public final class ProjectsWithEnvironment {
    private ProjectsWithEnvironment() {
    }

    public static Project read(Path projectDir, Map<String, String> environment) {
        return ProjectReader.read(projectDir.toAbsolutePath().normalize(), Map.of(), environment);
    }
}
