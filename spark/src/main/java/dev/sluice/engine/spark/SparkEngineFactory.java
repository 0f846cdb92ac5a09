package dev.sluice.engine.spark;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.EngineOptions;
import java.util.Set;

/**
 * The Spark engine's factory ({@code engine: spark}), registered in {@code META-INF/services} under both service
 * interfaces: Spark SQL 4.1 over Iceberg tables, in the module {@code sluice-spark} so that Spark never enters the
 * launcher jar.
 */
public final class SparkEngineFactory implements EngineFactory {

    @Override
    public String name() {
        return "spark";
    }

    /**
     * In a model's text, the function planning validates (DuckDB's); {@link SparkCalciteDialect} prints it as Spark's
     * {@code system.session} variable, which Calcite cannot validate.
     */
    @Override
    public String readVariable(String variable) {
        return SparkCalciteDialect.VARIABLE_FUNCTION + "(" + dev.sluice.engine.Sql.string(variable) + ")";
    }

    /** Spark has no transactions across statements for the catalog's tables: its catalog lives elsewhere. */
    @Override
    public boolean keepsCatalog() {
        return false;
    }

    @Override
    public Dialect dialect() {
        return SparkDialect.INSTANCE;
    }

    @Override
    public Engine open(EngineOptions options) {
        return SparkEngine.open(options, SparkSettings.of(options.settings()));
    }

    /** {@code engine: {type: spark, master: local[4] | spark://host:7077, conf: {spark.x: y}}}. */
    @Override
    public Set<String> settings() {
        return Set.of("master", "conf");
    }
}
