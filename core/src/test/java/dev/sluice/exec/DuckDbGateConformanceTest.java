package dev.sluice.exec;

import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.duckdb.DuckDbEngineFactory;

/** DuckDB compiles and runs every construct of the quality gate (the Spark module runs the same on Spark). */
class DuckDbGateConformanceTest extends GateConformanceTest {
    @Override
    protected EngineFactory factory() {
        return new DuckDbEngineFactory();
    }
}
