package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A place in a project file, for error messages: {@code models/x.sql:4:8}. Line and column are 1-based; 0 when unknown. */
public record Location(Path file, int line, int column) {
    public Location {
        requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file.toString();
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
