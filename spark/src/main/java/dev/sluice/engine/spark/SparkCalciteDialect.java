package dev.sluice.engine.spark;

import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;

/**
 * Calcite's Spark dialect with what it gets wrong for Spark SQL 4.1 fixed, each with a test
 * ({@code SparkCalciteDialectTest}): string literals are written in Spark's escapes (a backslash escapes in Spark,
 * and Calcite's {@code u&'…'} for text beyond ASCII does not parse), and a cast to text without a length is a cast
 * to {@code STRING} (Spark refuses {@code VARCHAR} without one), and a session variable read with DuckDB's
 * {@code getvariable('name')} (as planning validates it) is Spark's {@code system.session.name}. Planning prints each model with it
 * ({@link SparkDialect#modelSql()}: the class is named, so plan needs no Spark).
 */
public final class SparkCalciteDialect extends SparkSqlDialect {
    /**
     * How a model's text reads a session variable on Spark ({@link SparkEngineFactory#readVariable}): the function
     * DuckDB reads them with, which planning knows, printed for Spark as the variable's name.
     */
    static final String VARIABLE_FUNCTION = "getvariable";

    private static final Set<String> TEXT_TYPES = Set.of("VARCHAR", "CHAR", "TEXT", "STRING", "CHARACTER");

    public SparkCalciteDialect() {
        super(SparkSqlDialect.DEFAULT_CONTEXT);
    }

    @Override
    public void quoteStringLiteral(StringBuilder buf, String charsetName, String value) {
        buf.append('\'').append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
    }

    @Override
    public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
        if (call.getOperator().getName().equalsIgnoreCase(VARIABLE_FUNCTION) && call.operandCount() == 1
                && call.operand(0) instanceof SqlLiteral name) {
            // a session variable (${window_start}, a secret): Spark reads it by name
            writer.literal("system.session." + quoteIdentifier(name.getValueAs(String.class)));
            return;
        }
        if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
                && call.operand(1) instanceof SqlDataTypeSpec type && textWithoutLength(type)) {
            SqlWriter.Frame frame = writer.startFunCall("CAST");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep("AS");
            writer.keyword("STRING");
            writer.endFunCall(frame);
            return;
        }
        super.unparseCall(writer, call, leftPrec, rightPrec);
    }

    private static boolean textWithoutLength(SqlDataTypeSpec type) {
        String name = type.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        if (!TEXT_TYPES.contains(name)) {
            return false;
        }
        return !(type.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic)
                || basic.getPrecision() < 0;
    }
}
