package dev.sluice.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/** Maps DuckDB type text to Calcite types; nested and unknown types become ANY so that Calcite stays lenient. */
final class DuckDbTypes {
    private static final Pattern DECIMAL = Pattern.compile("(?:DECIMAL|NUMERIC)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");
    private static final Pattern VARCHAR_LENGTH = Pattern.compile("(?:VARCHAR|CHAR|BPCHAR|TEXT|STRING)\\s*\\(\\s*\\d+\\s*\\)");

    private DuckDbTypes() {
    }

    /** The nullable Calcite type for a DuckDB type such as {@code BIGINT}, {@code DECIMAL(18,2)} or {@code VARCHAR[]}. */
    static RelDataType toCalcite(String duckDbType, RelDataTypeFactory factory) {
        return factory.createTypeWithNullability(notNull(duckDbType, factory), true);
    }

    /** True when the DuckDB type maps to a precise Calcite type rather than the lenient ANY. */
    static boolean isKnown(String duckDbType, RelDataTypeFactory factory) {
        return notNull(duckDbType, factory).getSqlTypeName() != SqlTypeName.ANY;
    }

    /**
     * DuckDB's name for a type Calcite derived, when DuckDB's type is exactly that one (what DESCRIBE would say);
     * null for types Calcite represents only approximately (see {@link #roundTrips}).
     */
    static String toDuckDb(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> "BOOLEAN";
            case TINYINT -> "TINYINT";
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DECIMAL -> "DECIMAL(" + type.getPrecision() + "," + type.getScale() + ")";
            case REAL -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case CHAR, VARCHAR -> "VARCHAR";
            case DATE -> "DATE";
            case TIMESTAMP -> type.getPrecision() == 6 ? "TIMESTAMP" : null;
            default -> null;
        };
    }

    /** True when DuckDB's type survives the trip through Calcite's: a column of it keeps its exact type. */
    static boolean roundTrips(String duckDbType, RelDataTypeFactory factory) {
        return duckDbType.equals(toDuckDb(notNull(duckDbType, factory)));
    }

    private static RelDataType notNull(String duckDbType, RelDataTypeFactory factory) {
        String type = duckDbType.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (type.endsWith("]") || type.startsWith("STRUCT") || type.startsWith("MAP") || type.startsWith("UNION")) {
            return factory.createSqlType(SqlTypeName.ANY);
        }
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = decimal.group(2) == null ? 0 : Integer.parseInt(decimal.group(2));
            return factory.createSqlType(SqlTypeName.DECIMAL, precision, scale);
        }
        if (VARCHAR_LENGTH.matcher(type).matches()) {
            return factory.createSqlType(SqlTypeName.VARCHAR);
        }
        return switch (type) {
            case "BOOLEAN", "BOOL", "LOGICAL" -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case "TINYINT", "INT1" -> factory.createSqlType(SqlTypeName.TINYINT);
            case "SMALLINT", "INT2", "SHORT", "UTINYINT" -> factory.createSqlType(SqlTypeName.SMALLINT);
            case "INTEGER", "INT", "INT4", "SIGNED", "USMALLINT" -> factory.createSqlType(SqlTypeName.INTEGER);
            case "BIGINT", "INT8", "LONG", "UINTEGER" -> factory.createSqlType(SqlTypeName.BIGINT);
            case "UBIGINT" -> factory.createSqlType(SqlTypeName.DECIMAL, 20, 0);
            case "HUGEINT", "UHUGEINT", "INT128" -> factory.createSqlType(SqlTypeName.DECIMAL, 38, 0);
            case "DECIMAL", "NUMERIC" -> factory.createSqlType(SqlTypeName.DECIMAL, 18, 3);
            case "FLOAT", "FLOAT4", "REAL" -> factory.createSqlType(SqlTypeName.REAL);
            case "DOUBLE", "FLOAT8", "DOUBLE PRECISION" -> factory.createSqlType(SqlTypeName.DOUBLE);
            case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "JSON", "UUID" -> factory.createSqlType(SqlTypeName.VARCHAR);
            case "DATE" -> factory.createSqlType(SqlTypeName.DATE);
            case "TIME", "TIME WITH TIME ZONE", "TIMETZ" -> factory.createSqlType(SqlTypeName.TIME, 6);
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_US" -> factory.createSqlType(SqlTypeName.TIMESTAMP, 6);
            case "TIMESTAMP_MS" -> factory.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case "TIMESTAMP_S" -> factory.createSqlType(SqlTypeName.TIMESTAMP, 0);
            case "TIMESTAMP_NS" -> factory.createSqlType(SqlTypeName.TIMESTAMP, 9);
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" ->
                    factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
            case "INTERVAL" -> factory.createSqlIntervalType(
                    new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO));
            case "BLOB", "BYTEA", "BINARY", "VARBINARY" -> factory.createSqlType(SqlTypeName.VARBINARY);
            default -> factory.createSqlType(SqlTypeName.ANY);
        };
    }

    /** DuckDB's limits: DECIMAL up to 38 digits, timestamps down to nanoseconds, CASE over strings of different lengths is VARCHAR. */
    static final class TypeSystem extends RelDataTypeSystemImpl {
        static final TypeSystem INSTANCE = new TypeSystem();

        @Override
        public int getMaxPrecision(SqlTypeName typeName) {
            if (typeName == SqlTypeName.DECIMAL) {
                return 38;
            }
            if (SqlTypeName.DATETIME_TYPES.contains(typeName) && typeName != SqlTypeName.DATE) {
                return 9;
            }
            return super.getMaxPrecision(typeName);
        }

        @Override
        public int getMaxScale(SqlTypeName typeName) {
            return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
        }

        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }
    }
}
