package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.junit.jupiter.api.Test;

/**
 * What Calcite's Spark dialect gets wrong for Spark SQL 4.1, one test per fix: each shows Calcite's own printing
 * failing Spark's parser (or meaning something else) and the fixed printing read by Spark as the model meant it.
 * Spark's parser runs without a Spark application, as planning does.
 */
class SparkCalciteDialectTest {
    private static final SqlParser.Config DUCKDB_MODELS = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY).withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED).withCaseSensitive(false)
            .withConformance(SqlConformanceEnum.BABEL);

    private static String print(String sql, SqlDialect dialect) throws Exception {
        return SqlParser.create(sql, DUCKDB_MODELS).parseQuery().toSqlString(dialect).getSql();
    }

    @Test
    void castsToTextWithoutALengthAreCastsToString() throws Exception {
        String model = "SELECT CAST(amount AS VARCHAR) AS a, amount::TEXT AS b, CAST(amount AS VARCHAR(5)) AS c "
                + "FROM orders";
        String calcite = print(model, SparkSqlDialect.DEFAULT);
        assertThatThrownBy(() -> CatalystSqlParser$.MODULE$.parsePlan(calcite))
                .hasMessageContaining("DATATYPE_MISSING_SIZE");

        String fixed = print(model, new SparkCalciteDialect());
        assertThat(fixed).contains("CAST(`amount` AS STRING) `a`", "CAST(`amount` AS STRING) `b`",
                "CAST(`amount` AS VARCHAR(5)) `c`");
        CatalystSqlParser$.MODULE$.parsePlan(fixed);
    }

    @Test
    void sessionVariablesAreReadByName() throws Exception {
        String model = "SELECT hour FROM hourly WHERE hour >= CAST("
                + new SparkEngineFactory().readVariable("window_start") + " AS TIMESTAMP)";
        String calcite = print(model, SparkSqlDialect.DEFAULT);
        // Spark has no such function
        assertThat(calcite).contains("CAST(`getvariable`('window_start') AS TIMESTAMP)");

        String fixed = print(model, new SparkCalciteDialect());
        assertThat(fixed).contains("CAST(system.session.`window_start` AS TIMESTAMP)");
        CatalystSqlParser$.MODULE$.parsePlan(fixed);
    }

    @Test
    void stringLiteralsAreWrittenInSparksEscapes() throws Exception {
        String model = "SELECT 'it''s C:\\temp, café' AS s FROM orders";
        assertThat(literalAsSparkReadsIt(print(model, SparkSqlDialect.DEFAULT))).isNotEqualTo("it's C:\\temp, café");

        assertThat(literalAsSparkReadsIt(print(model, new SparkCalciteDialect()))).isEqualTo("it's C:\\temp, café");
    }

    /** The value of the one string literal of {@code sql} as Spark's parser reads it, or why it cannot. */
    private static String literalAsSparkReadsIt(String sql) {
        String literal = sql.substring(sql.indexOf('\''), sql.lastIndexOf('\'') + 1);
        String prefix = sql.substring(0, sql.indexOf('\'')).replaceAll("(?s).*[\\s,(]", "");
        try {
            Expression read = CatalystSqlParser$.MODULE$.parseExpression(prefix + literal);
            return read.eval(null).toString();
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
