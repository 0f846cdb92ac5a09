package dev.sluice.exec;

import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.spark.SparkEngineFactory;
import org.junit.jupiter.api.BeforeAll;

/**
 * Spark on local[2] compiles and runs every construct of the quality gate as DuckDB does (same counts, metrics,
 * samples and quarantined rows): one Spark application for the class.
 */
class SparkGateConformanceTest extends GateConformanceTest {
    @BeforeAll
    static void localTwoCores() {
        System.setProperty("sluice.spark.master", "local[2]");
    }

    @Override
    protected EngineFactory factory() {
        return new SparkEngineFactory();
    }
}
