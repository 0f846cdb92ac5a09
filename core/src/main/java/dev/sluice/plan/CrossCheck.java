package dev.sluice.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Which models DuckDB must bind beside Calcite. DuckDB's reading of a model (its columns' names and types) is what
 * the plan keeps; Calcite's is the same for most SQL, so a model is bound by DuckDB only when its text holds a
 * construct where the two can disagree ({@link #CONSTRUCTS}); the others take their columns from Calcite. Calcite
 * still validates every model and its errors stay located. Thread-safe (stateless).
 */
final class CrossCheck {
    /** A construct where Calcite and DuckDB can read a model differently, and where the model holds it. */
    record Construct(String name, SqlParserPos position) {
    }

    static final String BABEL = "SQL only Babel reads (DuckDB syntax, keywords as names)";
    static final String STAR = "a star (*) in a select list (DuckDB drops a USING join's duplicate, reads EXCLUDE)";
    static final String NATURAL_OR_USING = "a NATURAL or USING join (DuckDB merges the join columns)";
    static final String UNNAMED = "an output column without a name of its own (an expression with no alias)";
    static final String DUPLICATE = "two output columns of the same name";
    static final String BARE_DECIMAL = "a CAST to DECIMAL or NUMERIC without precision (DuckDB's is (18,3))";
    static final String LITERAL = "a number in an output column, other than a small integer standing alone (DuckDB "
            + "fits an integer literal to the type beside it in CASE or COALESCE)";
    static final String TYPED_CALL = "a function or operator in an output column whose type DuckDB may derive "
            + "otherwise (arithmetic, sum, avg, string and date functions, ...)";
    static final String FROM_CALL = "a table function, VALUES or LATERAL in FROM";
    static final String INEXACT_TYPE = "a column whose type Calcite cannot represent exactly (unsigned integers, "
            + "HUGEINT, UUID, JSON, nested types, timestamps other than microseconds, FLOAT from Calcite)";

    /** Every construct that makes DuckDB bind a model; CrossCheckTest covers each. */
    static final List<String> CONSTRUCTS = List.of(BABEL, STAR, NATURAL_OR_USING, UNNAMED, DUPLICATE,
            BARE_DECIMAL, LITERAL, TYPED_CALL, FROM_CALL, INEXACT_TYPE);

    /**
     * Functions whose result type both derive alike from their operands' (or is fixed: BIGINT), allowed in output
     * columns. By name: the parser leaves function calls unresolved until validation.
     */
    private static final Set<String> SAME_TYPE = Set.of("MIN", "MAX", "COALESCE", "ROW_NUMBER", "RANK",
            "DENSE_RANK", "COUNT");

    /** Calls whose value is a boolean to both, whatever their operands. */
    private static final Set<SqlKind> BOOLEAN = Set.of(SqlKind.AND, SqlKind.OR, SqlKind.NOT, SqlKind.IS_NULL,
            SqlKind.IS_NOT_NULL, SqlKind.LIKE, SqlKind.BETWEEN, SqlKind.EXISTS);

    private Construct found;

    private CrossCheck() {
    }

    /**
     * The first construct of the parsed query (before validation, which rewrites it) where Calcite and DuckDB can
     * disagree, or null when Calcite's reading can stand for DuckDB's.
     */
    static Construct find(SqlNode query, boolean readByBabel) {
        if (readByBabel) {
            return new Construct(BABEL, query.getParserPosition());
        }
        CrossCheck check = new CrossCheck();
        check.outputNames(query);
        check.query(query);
        return check.found;
    }

    private void flag(String name, SqlNode node) {
        if (found == null) {
            found = new Construct(name, node.getParserPosition());
        }
    }

    /** The outermost select list: every column named by an alias or a column, each name once. */
    private void outputNames(SqlNode query) {
        SqlNode node = query;
        while (!(node instanceof SqlSelect)) {
            if (node instanceof SqlOrderBy orderBy) {
                node = orderBy.query;
            } else if (node instanceof SqlWith with) {
                node = with.body;
            } else if (node instanceof SqlCall call && node.getKind().belongsTo(SqlKind.SET_QUERY)) {
                node = call.operand(0);
            } else {
                flag(UNNAMED, query);
                return;
            }
        }
        Set<String> names = new HashSet<>();
        for (SqlNode item : ((SqlSelect) node).getSelectList()) {
            String name;
            if (item.getKind() == SqlKind.AS) {
                name = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
            } else if (item instanceof SqlIdentifier identifier && !identifier.isStar()) {
                name = identifier.names.get(identifier.names.size() - 1);
            } else {
                continue; // a star is flagged as one; an expression below
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                flag(DUPLICATE, item);
            }
        }
        for (SqlNode item : ((SqlSelect) node).getSelectList()) {
            if (item.getKind() != SqlKind.AS && !(item instanceof SqlIdentifier)) {
                flag(UNNAMED, item);
            }
        }
    }

    /** A query: its select lists' types reach the output (through subqueries and common table expressions). */
    private void query(SqlNode node) {
        if (node == null || found != null) {
            return;
        }
        if (node instanceof SqlSelect select) {
            for (SqlNode item : select.getSelectList()) {
                expression(item, true);
            }
            from(select.getFrom());
            expression(select.getWhere(), false);
            expression(select.getGroup(), false);
            expression(select.getHaving(), false);
            expression(select.getQualify(), false);
            expression(select.getWindowList(), false);
            expression(select.getOrderList(), false);
        } else if (node instanceof SqlOrderBy orderBy) {
            query(orderBy.query);
            expression(orderBy.orderList, false);
        } else if (node instanceof SqlWith with) {
            for (SqlNode item : with.withList) {
                query(((SqlWithItem) item).query);
            }
            query(with.body);
        } else if (node instanceof SqlCall call && node.getKind().belongsTo(SqlKind.SET_QUERY)) {
            call.getOperandList().forEach(this::query);
        } else {
            flag(FROM_CALL, node);
        }
    }

    private void from(SqlNode node) {
        if (node == null || found != null || node instanceof SqlIdentifier) {
            return;
        }
        if (node instanceof SqlJoin join) {
            if (join.isNatural() || join.getConditionType() == JoinConditionType.USING) {
                flag(NATURAL_OR_USING, join);
            }
            from(join.getLeft());
            from(join.getRight());
            expression(join.getCondition(), false);
        } else if (node.getKind() == SqlKind.AS) {
            from(((SqlCall) node).operand(0));
        } else if (node.getKind().belongsTo(SqlKind.QUERY)) {
            query(node);
        } else {
            flag(FROM_CALL, node);
        }
    }

    /**
     * An expression; {@code typed} when its type reaches an output column (a select item, a THEN, an operand of
     * MIN or COALESCE there), not when it is only compared, grouped, sorted or cast.
     */
    private void expression(SqlNode node, boolean typed) {
        if (node == null || found != null) {
            return;
        }
        if (node instanceof SqlNodeList list) {
            list.forEach(item -> expression(item, typed));
        } else if (node instanceof SqlIdentifier identifier) {
            if (identifier.isStar()) {
                flag(STAR, identifier);
            }
        } else if (node instanceof SqlLiteral literal) {
            if (typed && !(literal.getTypeName() == SqlTypeName.CHAR || literal.getTypeName() == SqlTypeName.BOOLEAN
                    || literal.getTypeName() == SqlTypeName.NULL || smallInteger(literal))) {
                flag(LITERAL, literal);
            }
        } else if (node instanceof SqlDataTypeSpec) {
            return;
        } else if (node.getKind().belongsTo(SqlKind.QUERY)) {
            query(node);
        } else if (node instanceof SqlCase caseCall) {
            expression(caseCall.getValueOperand(), false);
            expression(caseCall.getWhenOperands(), false);
            mixed(caseCall.getThenOperands().getList(), typed);
            mixed(java.util.Collections.singletonList(caseCall.getElseOperand()), typed);
            expression(caseCall.getThenOperands(), typed);
            expression(caseCall.getElseOperand(), typed);
        } else if (node instanceof SqlCall call) {
            call(call, typed);
        }
    }

    private void call(SqlCall call, boolean typed) {
        SqlKind kind = call.getKind();
        String function = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (kind == SqlKind.AS) {
            expression(call.operand(0), typed);
        } else if (kind == SqlKind.CAST) {
            if (call.operand(1) instanceof SqlDataTypeSpec spec && spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec
                    basic && (basic.getTypeName().getSimple().equalsIgnoreCase("DECIMAL")
                            || basic.getTypeName().getSimple().equalsIgnoreCase("NUMERIC"))
                    && basic.getPrecision() < 0) {
                flag(BARE_DECIMAL, call);
            }
            expression(call.operand(0), false);
        } else if (kind == SqlKind.OVER) {
            expression(call.operand(0), typed);
            expression(call.operand(1), false);
        } else if (function.equals("COUNT")) {
            // count(*) names a star that is no select list's
            call.getOperandList().stream().filter(operand -> !(operand instanceof SqlIdentifier identifier
                    && identifier.isStar())).forEach(operand -> expression(operand, false));
        } else if (!typed || kind.belongsTo(SqlKind.COMPARISON) || BOOLEAN.contains(kind)) {
            // its value is compared, grouped or sorted, or it is a boolean either way: its operands' types stay
            // inside it
            call.getOperandList().forEach(operand -> expression(operand, false));
        } else if (SAME_TYPE.contains(function)) {
            mixed(call.getOperandList(), typed);
            call.getOperandList().forEach(operand -> expression(operand, typed));
        } else {
            flag(TYPED_CALL, call);
        }
    }

    /** A number whose type is settled by the values beside it (a CASE's branches, COALESCE's operands). */
    private void mixed(List<SqlNode> operands, boolean typed) {
        for (SqlNode operand : operands) {
            if (typed && operand instanceof SqlNumericLiteral) {
                flag(LITERAL, operand);
            }
        }
    }

    private static boolean smallInteger(SqlLiteral literal) {
        return literal instanceof SqlNumericLiteral number && number.isExact() && number.isInteger()
                && number.getPrec() != null && number.getPrec() <= 9;
    }
}
