package dev.sluice.engine.duckdb;

import dev.sluice.engine.EngineConformanceTest;
import dev.sluice.engine.EngineFactory;

/** DuckDB passes the engine conformance suite. */
class DuckDbEngineConformanceTest extends EngineConformanceTest {
    @Override
    protected EngineFactory factory() {
        return new DuckDbEngineFactory();
    }
}
