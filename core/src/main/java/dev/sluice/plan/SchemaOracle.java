package dev.sluice.plan;

import dev.sluice.project.Source;
import java.util.List;
import java.util.Set;

/**
 * The engine's view of the SQL being planned. The planner asks it for DuckDB's own reading of every model,
 * so that Calcite's reading is cross-checked and never trusted alone. Implementations keep a scratch
 * (in-memory, empty) copy of the project's relations: nothing here touches the warehouse.
 */
public interface SchemaOracle {

    /** Every function DuckDB knows, each overload once. */
    List<FunctionInfo> functions();

    /**
     * Defines the source as an empty relation in the scratch database and returns its columns.
     *
     * @throws dev.sluice.SluiceException SOURCE_INVALID naming the source when its data cannot be described
     */
    List<ColumnType> defineSource(Source source);

    /**
     * Defines {@code schema.name} as an empty relation of {@code sql}'s columns in the scratch database (where its upstream relations
     * were defined before) and returns the columns DuckDB reports.
     *
     * @throws IllegalArgumentException with DuckDB's message when DuckDB rejects the SQL
     */
    List<ColumnType> defineModel(String schema, String name, String sql);

    /** A model to define: where it is published and its SQL, as {@link #defineModel} takes them. */
    record ModelSql(String schema, String name, String sql) {
    }

    /** What defining a model gave: its columns, or DuckDB's rejection. */
    record Defined(List<ColumnType> columns, IllegalArgumentException failure) {
    }

    /**
     * Defines models that do not read each other (one level of the graph), as {@link #defineModel} defines each;
     * an oracle may bind them all in one statement. Returns one result per model, in order.
     */
    default List<Defined> defineModels(List<ModelSql> models) {
        List<Defined> defined = new java.util.ArrayList<>();
        for (ModelSql model : models) {
            try {
                defined.add(new Defined(defineModel(model.schema(), model.name(), model.sql()), null));
            } catch (IllegalArgumentException e) {
                defined.add(new Defined(null, e));
            }
        }
        return defined;
    }

    /**
     * Declares {@code schema.name} as a model planned before, with these columns (taken from the plan cache). The
     * oracle may create its empty table only when a query needs it: most cached models are never read again.
     */
    default void declareModel(String schema, String name, List<ColumnType> columns) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnType column = columns.get(i);
            sql.append(i == 0 ? "" : ", ").append("CAST(NULL AS ").append(column.type()).append(") AS ")
                    .append(SqlText.quote(column.name()));
        }
        defineModel(schema, name, sql.append(" WHERE false").toString());
    }

    /**
     * The table names DuckDB's own parser finds in {@code sql} (as written: {@code t} or {@code s.t}), excluding
     * common table expressions; used for models declared with {@code parser: duckdb}.
     *
     * @throws IllegalArgumentException with DuckDB's message when DuckDB cannot parse the SQL
     */
    Set<String> tableReferences(String sql);
}
