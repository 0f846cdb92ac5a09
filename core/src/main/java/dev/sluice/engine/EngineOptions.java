package dev.sluice.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to open an engine, in terms every engine understands.
 *
 * @param warehouse the warehouse file (or the engine's own location), absolute; null for {@link Access#IN_MEMORY}
 * @param access what the engine may do with the warehouse
 * @param threads worker threads, 0 for the engine's default
 * @param memoryLimit a memory cap such as {@code 4GB}, null for the engine's default
 * @param readableRoots the only folders SQL run on the engine may read and write (the project folder first, then
 *     its allowed_paths); empty for an unconfined engine (tests and tools that run only Sluice's own SQL)
 * @param settings the engine's own settings from {@code engine:} of sluice.yml ({@code master}, {@code conf.<key>}
 *     for Spark), checked against {@link dev.sluice.project.EngineTraits#settings()} when the project was read
 */
public record EngineOptions(Path warehouse, Access access, int threads, String memoryLimit, List<Path> readableRoots,
        Map<String, String> settings) {
    public EngineOptions {
        Objects.requireNonNull(access, "access");
        if ((warehouse == null) != (access == Access.IN_MEMORY)) {
            throw new IllegalArgumentException("a warehouse is needed exactly when the engine is not in memory");
        }
        readableRoots = List.copyOf(readableRoots);
        settings = Map.copyOf(settings);
    }

    /** Options with no engine settings of the project's. */
    public EngineOptions(Path warehouse, Access access, int threads, String memoryLimit, List<Path> readableRoots) {
        this(warehouse, access, threads, memoryLimit, readableRoots, Map.of());
    }

    /** These options with the engine's own {@code settings} (from {@code engine:} of sluice.yml). */
    public EngineOptions withSettings(Map<String, String> settings) {
        return new EngineOptions(warehouse, access, threads, memoryLimit, readableRoots, settings);
    }

    /** What an engine may do with its warehouse. */
    public enum Access {
        /** Read and write, creating the warehouse when absent. */
        READ_WRITE,
        /** Read an existing warehouse. */
        READ_ONLY,
        /** Read an existing warehouse for a user's queries: nothing, not even a setting, can change. */
        QUERIES,
        /** A private scratch database that lives as long as the engine. */
        IN_MEMORY
    }

    /** Reads and writes {@code warehouse}, confined to {@code readableRoots} (empty: unconfined). */
    public static EngineOptions readWrite(Path warehouse, int threads, String memoryLimit, List<Path> readableRoots) {
        return new EngineOptions(warehouse, Access.READ_WRITE, threads, memoryLimit, readableRoots);
    }

    /** Reads an existing {@code warehouse}, confined to {@code readableRoots} (empty: unconfined). */
    public static EngineOptions readOnly(Path warehouse, List<Path> readableRoots) {
        return new EngineOptions(warehouse, Access.READ_ONLY, 0, null, readableRoots);
    }

    /** Reads an existing {@code warehouse} for a user's queries, confined to {@code readableRoots}. */
    public static EngineOptions forQueries(Path warehouse, List<Path> readableRoots) {
        return new EngineOptions(warehouse, Access.QUERIES, 0, null, readableRoots);
    }

    /** A scratch database confined to {@code readableRoots} (empty: unconfined). */
    public static EngineOptions inMemory(List<Path> readableRoots) {
        return new EngineOptions(null, Access.IN_MEMORY, 0, null, readableRoots);
    }
}
