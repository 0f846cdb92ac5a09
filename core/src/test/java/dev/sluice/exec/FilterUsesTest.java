package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.storage.StorageOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage optimiser sorts a table for the columns its readers filter rows on (WHERE, HAVING), never for a column
 * that only decides which values an aggregate takes (`FILTER (WHERE …)` of an aggregate call): such a reader reads
 * every row, so a sort would prune nothing and cost a rewrite.
 */
class FilterUsesTest {
    @TempDir
    Path dir;

    @Test
    void onlyRowFiltersCountAsFilterUsesNotAnAggregatesFilterClause() throws IOException {
        ProjectFixture fixture = ProjectFixture.at(dir);
        fixture.write("sluice.yml", "name: p\n");
        fixture.write("models/orders.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT i AS order_id, i % 7 AS customer_id, i % 2 = 0 AS returned, i * 1.5 AS amount "
                + "FROM (VALUES (1), (2), (3)) AS v(i)");
        fixture.write("models/open_orders.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT order_id, amount FROM orders WHERE customer_id = 3");
        fixture.write("models/net_revenue.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT customer_id, sum(amount) FILTER (WHERE NOT returned) AS net FROM orders GROUP BY customer_id");
        Project project = ProjectReader.read(dir, Map.of());

        Map<String, Map<String, Integer>> uses = StorageOptimizer.filterUses(
                new Pipeline(project, "test").plan().models());

        assertThat(uses).containsOnlyKeys("main.orders");
        assertThat(uses.get("main.orders")).containsExactly(Map.entry("customer_id", 1));
    }
}
