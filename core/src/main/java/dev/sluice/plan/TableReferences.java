package dev.sluice.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;

/**
 * Collects the tables a parsed query reads: FROM and JOIN items at any depth (subqueries, common table expression
 * bodies, set operations), leaving out names of common table expressions in scope and table functions.
 */
final class TableReferences {
    private final List<SqlIdentifier> found = new ArrayList<>();

    private TableReferences() {
    }

    /** The identifiers naming tables, in the order they appear. */
    static List<SqlIdentifier> of(SqlNode query) {
        TableReferences collector = new TableReferences();
        collector.query(query, Set.of());
        return collector.found;
    }

    private void query(SqlNode node, Set<String> ctes) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlSelect select) {
            from(select.getFrom(), ctes);
            for (SqlNode operand : select.getOperandList()) {
                if (operand != select.getFrom()) {
                    expression(operand, ctes);
                }
            }
        } else if (node instanceof SqlWith with) {
            Set<String> scope = new HashSet<>(ctes);
            for (SqlNode item : with.withList) {
                SqlWithItem withItem = (SqlWithItem) item;
                String name = withItem.name.getSimple().toLowerCase(Locale.ROOT);
                if (withItem.recursive != null && withItem.recursive.booleanValue()) {
                    scope.add(name);
                }
                query(withItem.query, Set.copyOf(scope));
                scope.add(name);
            }
            query(with.body, Set.copyOf(scope));
        } else if (node.getKind() == SqlKind.EXPLICIT_TABLE) {
            from(((SqlCall) node).operand(0), ctes);
        } else {
            expression(node, ctes);
        }
    }

    private void from(SqlNode node, Set<String> ctes) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlIdentifier identifier) {
            boolean cte = identifier.isSimple() && ctes.contains(identifier.getSimple().toLowerCase(Locale.ROOT));
            if (!cte) {
                found.add(identifier);
            }
        } else if (node instanceof SqlJoin join) {
            from(join.getLeft(), ctes);
            from(join.getRight(), ctes);
            expression(join.getCondition(), ctes);
        } else if (node instanceof SqlCall call) {
            switch (call.getKind()) {
                case AS, LATERAL, TABLESAMPLE, SNAPSHOT, PIVOT, UNPIVOT, MATCH_RECOGNIZE -> {
                    from(call.operand(0), ctes);
                    for (SqlNode operand : call.getOperandList().subList(1, call.operandCount())) {
                        expression(operand, ctes);
                    }
                }
                case COLLECTION_TABLE -> expression(call.operand(0), ctes);
                default -> query(call, ctes);
            }
        } else {
            query(node, ctes);
        }
    }

    private void expression(SqlNode node, Set<String> ctes) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlNodeList list) {
            for (SqlNode item : list) {
                expression(item, ctes);
            }
        } else if (node instanceof SqlSelect || node instanceof SqlWith || node.getKind() == SqlKind.EXPLICIT_TABLE) {
            query(node, ctes);
        } else if (node instanceof SqlCall call) {
            for (SqlNode operand : call.getOperandList()) {
                expression(operand, ctes);
            }
        }
    }
}
