package dev.sluice.jdbc;

import dev.sluice.ProjectFixture;
import java.nio.file.Path;

/** The small project the driver's tests read: a CSV source, a described staging view with a PII column, a mart. */
final class DriverProjects {
    private DriverProjects() {
    }

    static ProjectFixture shop(Path folder) {
        ProjectFixture project = ProjectFixture.at(folder);
        project.write("sluice.yml", "name: shop\nvars:\n  min_amount: 5\nsources:\n  raw.orders:\n    type: files\n"
                + "    path: data/orders/*.csv\n    header: true\n");
        project.write("models/stg_orders.sql", "/*---\ndescription: Orders above the minimum amount.\n"
                + "columns:\n  customer: { description: Who ordered, pii: true }\n---*/\n"
                + "SELECT CAST(order_id AS BIGINT) AS order_id, CAST(amount AS DECIMAL(10,2)) AS amount, "
                + "CAST(order_day AS DATE) AS order_day, customer FROM raw.orders WHERE amount >= ${min_amount}\n");
        project.write("models/revenue.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT count(*) AS orders, sum(amount) AS revenue FROM stg_orders\n");
        project.write("models/customers.sql", "/*---\nmaterialized: incremental\n"
                + "incremental: { strategy: merge, unique_key: [customer] }\n---*/\n"
                + "SELECT customer, max(order_day) AS last_order FROM stg_orders GROUP BY customer\n");
        project.write("data/orders/a.csv", "order_id,amount,order_day,customer\n1,10.5,2024-01-01,ann\n"
                + "2,3,2024-01-01,ann\n3,20,2024-01-02,bob\n");
        return project;
    }
}
