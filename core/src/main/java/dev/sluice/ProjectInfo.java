package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline folder as the public API shows it: its name, where it and its warehouse are, and its sources. Immutable;
 * holds no secret values.
 *
 * @param root the project folder, absolute
 * @param warehouse the warehouse file, absolute
 */
public record ProjectInfo(String name, Path root, Path warehouse, List<SourceInfo> sources) {
    public ProjectInfo {
        requireNonNull(name, "name");
        requireNonNull(root, "root");
        requireNonNull(warehouse, "warehouse");
        sources = List.copyOf(sources);
    }

    /**
     * A source of the project.
     *
     * @param qualifiedName {@code schema.table}, as models read it
     * @param type its kind ({@code files}, {@code table}, {@code synthetic})
     * @param location where sluice.yml defines it ({@code sluice.yml:4:3})
     */
    public record SourceInfo(String qualifiedName, String type, String location) {
        public SourceInfo {
            requireNonNull(qualifiedName, "qualifiedName");
            requireNonNull(type, "type");
        }
    }
}
