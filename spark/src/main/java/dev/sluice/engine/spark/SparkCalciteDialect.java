package dev.sluice.engine.spark;

import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;

/**
 * Calcite's Spark dialect with what it gets wrong for Spark SQL 4.1 fixed, each with a test
 * ({@code SparkCalciteDialectTest}): string literals are written in Spark's escapes (a backslash escapes in Spark,
 * and Calcite's {@code u&'…'} for text beyond ASCII does not parse), and a cast to text without a length is a cast
 * to {@code STRING} (Spark refuses {@code VARCHAR} without one). Planning prints each model with it
 * ({@link SparkDialect#modelSql()}: the class is named, so plan needs no Spark).
 */
public final class SparkCalciteDialect extends SparkSqlDialect {
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
