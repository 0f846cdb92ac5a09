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

    @Override
    public Dialect dialect() {
        return duckDb.dialect();
    }

    @Override
    public Engine open(EngineOptions options) {
        if (options.warehouse() != null) {
            OPENED.computeIfAbsent(options.warehouse().toAbsolutePath().normalize(),
                    key -> new CopyOnWriteArrayList<>()).add(options.access());
        }
        return duckDb.open(options);
    }
}
