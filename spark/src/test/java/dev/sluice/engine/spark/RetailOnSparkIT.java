package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.QueryResult;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Materialization;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retail example's models, as Calcite prints them for Spark, build on Spark local[2] the tables the DuckDB
 * pipeline publishes, compared row by row: the sources as the DuckDB run loaded them are copied into Spark through
 * the Spark engine's appender, then each of the 11 models that are built (int_order_totals is ephemeral: inlined) is
 * built there in plan order. (The models run on the Spark
 * engine's sessions directly: whole runs on Spark wait for the run catalog outside the warehouse.)
 */
class RetailOnSparkIT {
    @TempDir
    Path dir;

    @Test
    void everyModelGivesDuckDbsRows() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
        ProjectFixture retail = ProjectFixture.example("retail", dir);
        RunResult run = retail.run();
        assertThat(run.succeeded()).isTrue();
        Project project = ProjectReader.read(retail.root(), Map.of());
        List<PlannedModel> models = new Pipeline(project, Sluice.VERSION).plan().models();

        try (Engine spark = new SparkEngineFactory().open(EngineOptions.inMemory(List.of(retail.root())));
                Session session = spark.session()) {
            Set<String> schemas = new LinkedHashSet<>();
            project.sources().forEach(source -> schemas.add(source.schema()));
            models.forEach(model -> schemas.add(model.model().schema()));
            schemas.forEach(schema -> session.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema)));
            project.sources().forEach(source -> copy(retail, session, source.schema(), source.table()));

            List<String> compared = new ArrayList<>();
            for (PlannedModel model : models) {
                if (model.model().materialized() == Materialization.EPHEMERAL) {
                    continue;
                }
                String relation = Sql.qualified(model.model().schema(), model.name());
                String sql = model.unparsedIn(SparkCalciteDialect.class.getName()).executableSql();
                session.execute("CREATE TABLE " + relation + " AS " + sql);
                List<String> columns = session.query("SELECT * FROM " + relation + " LIMIT 0").columns();
                String select = "SELECT " + String.join(", ", columns.stream().map(Sql::identifier).toList())
                        + " FROM " + relation;
                List<List<Object>> onSpark = SameRows.normal(session.query(select).values());
                List<List<Object>> onDuckDb = SameRows.normal(retail.query(select).rows());
                assertThat(onDuckDb).as("rows of %s", relation).isNotEmpty();
                assertThat(onSpark).as("rows of %s", relation).hasSize(onDuckDb.size()).isEqualTo(onDuckDb);
                compared.add(model.model().qualifiedName());
            }
            assertThat(compared).hasSize(11).contains("staging.stg_orders", "marts.orders", "marts.product_sales",
                    "marts.customer_lifetime_value", "marts.daily_revenue");
        }
    }

    /** Copies the source as the DuckDB run loaded it into Spark, with its columns' types. */
    private static void copy(ProjectFixture retail, Session session, String schema, String table) {
        QueryResult types = retail.query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_schema = " + Sql.string(schema) + " AND table_name = " + Sql.string(table)
                + " AND column_name NOT LIKE '\\_sluice\\_%' ESCAPE '\\' ORDER BY ordinal_position");
        List<String> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        for (List<Object> column : types.rows()) {
            columns.add(Sql.identifier((String) column.get(0)));
            definitions.add(Sql.identifier((String) column.get(0)) + " " + column.get(1));
        }
        session.execute("CREATE TABLE " + Sql.qualified(schema, table) + " (" + String.join(", ", definitions) + ")");
        QueryResult rows = retail.query("SELECT " + String.join(", ", columns) + " FROM "
                + Sql.qualified(schema, table));
        try (Appender appender = session.appender(schema, table)) {
            rows.rows().forEach(appender::append);
        }
    }
}
