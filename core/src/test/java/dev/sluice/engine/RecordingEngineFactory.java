package dev.sluice.engine;

import dev.sluice.engine.duckdb.DuckDbEngineFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only engine, plugged in through {@code META-INF/services} of the test class path as {@code recording}: it
 * is DuckDB, and it records how each warehouse was opened, which proves that a project's {@code engine:} decides
 * what every run, plan and query opens.
 */
public final class RecordingEngineFactory implements EngineFactory {
    private static final Map<Path, List<EngineOptions.Access>> OPENED = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicReference<Map<String, String>> LAST_SETTINGS =
            new java.util.concurrent.atomic.AtomicReference<>(Map.of());
    private final EngineFactory duckDb = new DuckDbEngineFactory();

    /** How the warehouse file {@code warehouse} was opened through this engine, in order. */
    public static List<EngineOptions.Access> opened(Path warehouse) {
        return List.copyOf(OPENED.getOrDefault(warehouse.toAbsolutePath().normalize(), List.of()));
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String readVariable(String variable) {
        return duckDb.readVariable(variable);
    }

    /** {@code engine: {type: recording, label: …}}: a setting that only shows it reached the factory. */
    @Override
    public java.util.Set<String> settings() {
        return java.util.Set.of("label");
    }

    /** The settings the last engine was opened with. */
    public static Map<String, String> lastSettings() {
        return LAST_SETTINGS.get();
    }

    @Override
    public Dialect dialect() {
        return duckDb.dialect();
    }

    @Override
    public Engine open(EngineOptions options) {
        LAST_SETTINGS.set(options.settings());
        if (options.warehouse() != null) {
            OPENED.computeIfAbsent(options.warehouse().toAbsolutePath().normalize(),
                    key -> new CopyOnWriteArrayList<>()).add(options.access());
        }
        return duckDb.open(options);
    }
}
