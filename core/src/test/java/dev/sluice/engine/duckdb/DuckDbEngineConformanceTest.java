package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.EngineConformanceTest;
import dev.sluice.engine.EngineFactory;
import org.junit.jupiter.api.Test;

/** DuckDB passes the engine conformance suite. */
class DuckDbEngineConformanceTest extends EngineConformanceTest {
    @Override
    protected EngineFactory factory() {
        return new DuckDbEngineFactory();
    }

    /**
     * A model's text runs on DuckDB as written, so it reads a session variable as the runtime's SQL does (Spark's
     * model text is printed by its Calcite dialect instead: SparkCalciteDialectTest).
     */
    @Test
    void modelsReadSessionVariablesAsTheRuntimeDoes() {
        assertThat(factory().readVariable("x")).isEqualTo(factory().dialect().readVariable("x"));
    }
}
