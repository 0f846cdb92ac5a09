package dev.sluice.plan;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;

/**
 * Where the value of each output column of a plan comes from, found by walking the plan. Calcite's column origins
 * count every column an expression mentions as its origin; this walk tells apart the columns whose values flow into
 * the output (DIRECT: IDENTITY when passed through unchanged, even from the nullable side of an outer join;
 * TRANSFORMATION; AGGREGATION, window aggregates included) from those that only choose between values (CASE
 * conditions, anywhere below: CONDITIONAL), and leaves out the partition and order keys of window functions, whose
 * values never reach the output (they are INDIRECT WINDOW edges, found elsewhere).
 */
final class ValueOrigins {
    /** A table column an output value depends on, and how. */
    record Origin(RelOptTable table, int column, String type, String subtype) {
    }

    private final RelMetadataQuery metadata;
    private final Map<RelNode, Map<Integer, Set<Origin>>> memo = new HashMap<>();

    ValueOrigins(RelMetadataQuery metadata) {
        this.metadata = metadata;
    }

    Set<Origin> of(RelNode rel, int index) {
        Map<Integer, Set<Origin>> byIndex = memo.computeIfAbsent(rel, k -> new HashMap<>());
        Set<Origin> known = byIndex.get(index);
        if (known == null) {
            known = compute(rel, index);
            byIndex.put(index, known);
        }
        return known;
    }

    private Set<Origin> compute(RelNode rel, int index) {
        Set<Origin> origins = new LinkedHashSet<>();
        if (rel instanceof TableScan scan) {
            origins.add(new Origin(scan.getTable(), index, "DIRECT", "IDENTITY"));
        } else if (rel instanceof Project project) {
            project(project, project.getProjects().get(index), origins);
        } else if (rel instanceof Filter || rel instanceof Sort) {
            origins.addAll(of(rel.getInput(0), index));
        } else if (rel instanceof Join || rel instanceof Correlate) {
            int leftCount = rel.getInput(0).getRowType().getFieldCount();
            origins.addAll(index < leftCount ? of(rel.getInput(0), index) : of(rel.getInput(1), index - leftCount));
        } else if (rel instanceof Aggregate aggregate) {
            if (index < aggregate.getGroupCount()) {
                origins.addAll(of(aggregate.getInput(), aggregate.getGroupSet().nth(index)));
            } else {
                AggregateCall call = aggregate.getAggCallList().get(index - aggregate.getGroupCount());
                // Calcite reads a grouped expression repeated in the select list as ANY_VALUE of itself: no aggregation
                boolean passThrough = call.getAggregation().getKind() == SqlKind.ANY_VALUE;
                for (int argument : call.getArgList()) {
                    of(aggregate.getInput(), argument).forEach(origin -> origins.add(
                            passThrough || !origin.type().equals("DIRECT") ? origin : as(origin, "AGGREGATION")));
                }
            }
        } else if (rel instanceof SetOp setOp) {
            // EXCEPT returns rows of its first input only; UNION and INTERSECT values come from every input
            List<RelNode> inputs = setOp instanceof Minus ? setOp.getInputs().subList(0, 1) : setOp.getInputs();
            inputs.forEach(input -> origins.addAll(of(input, index)));
        } else {
            // A construct this walk does not know: Calcite's own origins, never as IDENTITY.
            java.util.Set<RelColumnOrigin> calcite = metadata.getColumnOrigins(rel, index);
            if (calcite != null) {
                calcite.forEach(origin -> origins.add(new Origin(origin.getOriginTable(),
                        origin.getOriginColumnOrdinal(), "DIRECT", "TRANSFORMATION")));
            }
        }
        return origins;
    }

    private void project(Project project, RexNode expression, Set<Origin> origins) {
        RelNode input = project.getInput();
        if (expression instanceof RexInputRef reference) {
            origins.addAll(of(input, reference.getIndex()));
            return;
        }
        expression.accept(new RexVisitorImpl<Void>(true) {
            private int insideWindow;

            @Override
            public Void visitInputRef(RexInputRef reference) {
                String subtype = insideWindow > 0 ? "AGGREGATION" : "TRANSFORMATION";
                for (Origin origin : of(input, reference.getIndex())) {
                    origins.add(origin.type().equals("DIRECT") && !origin.subtype().equals("AGGREGATION")
                            ? as(origin, subtype) : origin);
                }
                return null;
            }

            @Override
            public Void visitOver(RexOver over) {
                // the function's arguments flow into the value; partition and order keys do not
                insideWindow++;
                over.getOperands().forEach(operand -> operand.accept(this));
                insideWindow--;
                return null;
            }

            @Override
            public Void visitCall(RexCall call) {
                if (call.getKind() != SqlKind.CASE) {
                    return super.visitCall(call);
                }
                List<RexNode> operands = call.getOperands();
                for (int i = 0; i < operands.size(); i++) {
                    boolean condition = i % 2 == 0 && i + 1 < operands.size();
                    if (condition) {
                        conditions(operands.get(i), input, origins);
                    } else {
                        operands.get(i).accept(this);
                    }
                }
                return null;
            }
        });
    }

    /** Columns read by a CASE condition decide which value is taken: CONDITIONAL (window internals excepted). */
    private void conditions(RexNode condition, RelNode input, Set<Origin> origins) {
        condition.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitInputRef(RexInputRef reference) {
                for (Origin origin : of(input, reference.getIndex())) {
                    origins.add(new Origin(origin.table(), origin.column(), "INDIRECT", "CONDITIONAL"));
                }
                return null;
            }

            @Override
            public Void visitOver(RexOver over) {
                // a windowed SUM becomes CASE WHEN COUNT(x) OVER w > 0 ...: that condition is Calcite's, not the user's
                return null;
            }
        });
    }

    private static Origin as(Origin origin, String subtype) {
        return new Origin(origin.table(), origin.column(), origin.type(), subtype);
    }
}
