package dev.sluice.engine.duckdb;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.ModelOracle;
import java.nio.file.Path;
import java.util.List;

/** The DuckDB engine's factory, registered in {@code META-INF/services}: the default engine ({@code duckdb}). */
public final class DuckDbEngineFactory implements EngineFactory {

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String readVariable(String variable) {
        return DuckDbDialect.INSTANCE.readVariable(variable);
    }

    @Override
    public Dialect dialect() {
        return DuckDbDialect.INSTANCE;
    }

    @Override
    public ModelOracle modelOracle(List<Path> readableRoots) {
        return new DuckDbModelOracle(open(EngineOptions.inMemory(readableRoots)));
    }

    @Override
    public Engine open(EngineOptions options) {
        boolean confined = !options.readableRoots().isEmpty();
        return switch (options.access()) {
            case READ_WRITE -> confined
                    ? DuckDbEngine.open(options.warehouse(), options.threads(), options.memoryLimit(),
                            options.readableRoots())
                    : DuckDbEngine.open(options.warehouse(), options.threads(), options.memoryLimit());
            case READ_ONLY -> confined ? DuckDbEngine.openReadOnly(options.warehouse(), options.readableRoots())
                    : DuckDbEngine.openReadOnly(options.warehouse());
            case QUERIES -> DuckDbEngine.openForQueries(options.warehouse(), options.readableRoots());
            case IN_MEMORY -> confined ? DuckDbEngine.inMemory(options.readableRoots()) : DuckDbEngine.inMemory();
        };
    }
}
