package dev.sluice.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.util.Optionality;

/**
 * The functions the validator knows: Calcite's standard operators, a few library functions whose meaning matches
 * DuckDB's, and every other function DuckDB reports in {@code duckdb_functions()}, declared with any operands.
 */
final class DuckDbOperatorTable {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Library functions that DuckDB has with the same meaning. Not DATE_TRUNC: Calcite's is BigQuery's
     * {@code DATE_TRUNC(d, MONTH)}, DuckDB's is Postgres's {@code date_trunc('month', d)}.
     */
    private static final List<SqlOperator> LIBRARY = List.of(
            SqlLibraryOperators.GREATEST, SqlLibraryOperators.LEAST, SqlLibraryOperators.IFNULL,
            SqlLibraryOperators.NVL, SqlLibraryOperators.LEFT, SqlLibraryOperators.RIGHT,
            SqlLibraryOperators.BOOL_AND, SqlLibraryOperators.BOOL_OR, SqlLibraryOperators.STRING_AGG,
            SqlLibraryOperators.ARRAY_AGG, SqlLibraryOperators.CONCAT_WS, SqlLibraryOperators.LPAD,
            SqlLibraryOperators.RPAD, SqlLibraryOperators.SPLIT_PART, SqlLibraryOperators.STRPOS,
            SqlLibraryOperators.STARTS_WITH, SqlLibraryOperators.ENDS_WITH, SqlLibraryOperators.REPEAT,
            SqlLibraryOperators.REVERSE, SqlLibraryOperators.MD5, SqlLibraryOperators.CHR,
            SqlLibraryOperators.INFIX_CAST);

    private DuckDbOperatorTable() {
    }

    static SqlOperatorTable create(List<FunctionInfo> functions, RelDataTypeFactory typeFactory) {
        SqlOperatorTable calcite = SqlOperatorTables.chain(SqlStdOperatorTable.instance(), SqlOperatorTables.of(LIBRARY));
        Set<String> known = new HashSet<>();
        for (SqlOperator operator : calcite.getOperatorList()) {
            known.add(operator.getName().toLowerCase(Locale.ROOT));
        }
        Map<String, List<FunctionInfo>> byName = new LinkedHashMap<>();
        for (FunctionInfo function : functions) {
            String name = function.name().toLowerCase(Locale.ROOT);
            if (PLAIN_NAME.matcher(name).matches() && !known.contains(name)) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(function);
            }
        }
        List<SqlOperator> duckDb = new ArrayList<>();
        byName.forEach((name, overloads) -> {
            SqlOperator operator = operator(name, overloads, typeFactory);
            if (operator != null) {
                duckDb.add(operator);
            }
        });
        return SqlOperatorTables.chain(calcite, SqlOperatorTables.of(duckDb));
    }

    private static SqlOperator operator(String name, List<FunctionInfo> overloads, RelDataTypeFactory typeFactory) {
        boolean aggregate = false;
        boolean scalar = false;
        for (FunctionInfo overload : overloads) {
            switch (overload.kind().toLowerCase(Locale.ROOT)) {
                case "aggregate" -> aggregate = true;
                case "scalar", "macro", "window" -> scalar = true;
                default -> {
                    // table functions, table macros and pragmas cannot appear in expressions
                }
            }
        }
        if (!aggregate && !scalar) {
            return null;
        }
        SqlReturnTypeInference returnType = ReturnTypes.explicit(returnType(overloads, typeFactory));
        if (aggregate) {
            return new DuckDbAggregate(name, returnType);
        }
        return new SqlFunction(name, SqlKind.OTHER_FUNCTION, returnType, null, OperandTypes.VARIADIC,
                SqlFunctionCategory.USER_DEFINED_FUNCTION);
    }

    /** The mapped return type when all overloads agree on a type Calcite knows, else a nullable ANY. */
    private static RelDataType returnType(List<FunctionInfo> overloads, RelDataTypeFactory typeFactory) {
        Set<String> types = new HashSet<>();
        for (FunctionInfo overload : overloads) {
            types.add(Objects.requireNonNullElse(overload.returnType(), "ANY").toUpperCase(Locale.ROOT));
        }
        if (types.size() == 1) {
            String type = types.iterator().next();
            if (DuckDbTypes.isKnown(type, typeFactory)) {
                return DuckDbTypes.toCalcite(type, typeFactory);
            }
        }
        return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.ANY), true);
    }

    /** A DuckDB aggregate function: any operands, DISTINCT and FILTER allowed. */
    private static final class DuckDbAggregate extends SqlAggFunction {
        DuckDbAggregate(String name, SqlReturnTypeInference returnType) {
            super(name, null, SqlKind.OTHER_FUNCTION, returnType, null, OperandTypes.VARIADIC,
                    SqlFunctionCategory.USER_DEFINED_FUNCTION, false, false, Optionality.OPTIONAL);
        }
    }
}
