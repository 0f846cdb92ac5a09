package dev.sluice.project;

import java.nio.file.Path;
import java.util.Map;

/** For tests outside package project: a project read with a given environment instead of the process's. */
public final class ProjectReading {
    private ProjectReading() {
    }

    public static Project read(Path projectDir, Map<String, String> environment) {
        return ProjectReader.read(projectDir, Map.of(), environment);
    }
}
