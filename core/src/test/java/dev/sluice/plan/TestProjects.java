package dev.sluice.plan;

import dev.sluice.project.Defaults;
import dev.sluice.project.Location;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.project.SqlParserChoice;
import dev.sluice.project.StorageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds projects, models and sources for tests without reading files. */
final class TestProjects {
    static final Path ROOT = Path.of("/projects/shop");

    private TestProjects() {
    }

    /** An enabled view in schema {@code main}, read by Calcite, from {@code models/<name>.sql}. */
    static Model model(String name, String sql) {
        return new Model(name, ROOT.resolve("models/" + name + ".sql"), Path.of("models/" + name + ".sql"), "main",
                Materialization.VIEW, List.of(), "", Map.of(), true, SqlParserChoice.CALCITE, sql, "hash-" + name,
                List.of(), null, null, null, StorageSpec.NONE, null);
    }

    static Model inSchema(Model m, String schema) {
        return new Model(m.name(), m.file(), m.relativeFile(), schema, m.materialized(), m.tags(), m.description(),
                m.columns(), m.enabled(), m.parser(), m.sql(), m.sqlHash(), m.quality(), m.when(), m.otherwise(), m.incremental(), m.storage(), m.time());
    }

    static Model materialized(Model m, Materialization materialized) {
        return new Model(m.name(), m.file(), m.relativeFile(), m.schema(), materialized, m.tags(), m.description(),
                m.columns(), m.enabled(), m.parser(), m.sql(), m.sqlHash(), m.quality(), m.when(), m.otherwise(), null, m.storage(), m.time());
    }

    static Model ephemeral(Model m) {
        return materialized(m, Materialization.EPHEMERAL);
    }

    static Model tagged(Model m, String... tags) {
        return new Model(m.name(), m.file(), m.relativeFile(), m.schema(), m.materialized(), List.of(tags),
                m.description(), m.columns(), m.enabled(), m.parser(), m.sql(), m.sqlHash(), m.quality(), m.when(), m.otherwise(), m.incremental(), m.storage(), m.time());
    }

    static Model disabled(Model m) {
        return new Model(m.name(), m.file(), m.relativeFile(), m.schema(), m.materialized(), m.tags(), m.description(),
                m.columns(), false, m.parser(), m.sql(), m.sqlHash(), m.quality(), m.when(), m.otherwise(), m.incremental(), m.storage(), m.time());
    }

    static Model duckDbParser(Model m) {
        return new Model(m.name(), m.file(), m.relativeFile(), m.schema(), m.materialized(), m.tags(), m.description(),
                m.columns(), m.enabled(), SqlParserChoice.DUCKDB, m.sql(), m.sqlHash(), m.quality(), m.when(), m.otherwise(), m.incremental(), m.storage(), m.time());
    }

    /** A synthetic source; {@code columns} alternate name and DuckDB type. */
    static Source source(String schema, String table, String... columns) {
        List<SourceSpec.SyntheticColumn> synthetic = new ArrayList<>();
        for (int i = 0; i + 1 < columns.length; i += 2) {
            synthetic.add(new SourceSpec.SyntheticColumn(columns[i], columns[i + 1], "uniform", Map.of()));
        }
        return new Source(schema, table, new SourceSpec.Synthetic(100, 1, synthetic), Map.of(),
                new Location(Path.of("sluice.yml"), 3, 5), List.of());
    }

    /** raw.orders and raw.customers. */
    static List<Source> shopSources() {
        return List.of(
                source("raw", "orders", "id", "BIGINT", "customer_id", "BIGINT", "amount", "DECIMAL(18,2)",
                        "status", "VARCHAR", "ordered_at", "TIMESTAMP"),
                source("raw", "customers", "id", "BIGINT", "name", "VARCHAR", "country", "VARCHAR"));
    }

    static Project project(List<Source> sources, Model... models) {
        List<Model> sorted = new ArrayList<>(Arrays.asList(models));
        sorted.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return new Project(ROOT, "shop", ROOT.resolve("warehouse.duckdb"), dev.sluice.project.CatalogSpec.WAREHOUSE, Map.of(), sources,
                Defaults.standard(), sorted, List.of(), java.util.Set.of(), List.of());
    }

    static Project shop(Model... models) {
        return project(shopSources(), models);
    }
}
