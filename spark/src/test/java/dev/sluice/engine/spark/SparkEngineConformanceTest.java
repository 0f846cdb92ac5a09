package dev.sluice.engine.spark;

import dev.sluice.engine.EngineConformanceTest;
import dev.sluice.engine.EngineFactory;
import org.junit.jupiter.api.BeforeAll;

/** Spark on local[2] passes the engine conformance suite (one Spark application for the class: starting one costs
 * seconds). */
class SparkEngineConformanceTest extends EngineConformanceTest {
    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    @Override
    protected EngineFactory factory() {
        return new SparkEngineFactory();
    }
}
