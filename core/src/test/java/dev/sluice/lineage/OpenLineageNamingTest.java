package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Datasets named as the OpenLineage naming spec says: another system's by its server, the warehouse's by relation. */
class OpenLineageNamingTest {
    private static final String WAREHOUSE = "duckdb://target/shop.duckdb";

    private static List<String> named(String relation, String uri) {
        OpenLineage.Dataset dataset = new OpenLineage.Dataset(relation, uri == null ? null : URI.create(uri),
                List.of(), List.of());
        return List.of(OpenLineage.namespace(WAREHOUSE, dataset), OpenLineage.name(dataset));
    }

    @Test
    void datasetsOfOtherSystemsAreNamedByTheirServerAndPath() {
        assertThat(named("raw.orders", "postgres://db.internal:5432/shop.public.orders"))
                .containsExactly("postgres://db.internal:5432", "shop.public.orders");
        assertThat(named("raw.clicks", "kafka://broker:9092/clicks"))
                .containsExactly("kafka://broker:9092", "clicks");
        assertThat(named("crm.customers", "https://api.example.com:443/v1/customers"))
                .containsExactly("https://api.example.com:443", "v1/customers");
        assertThat(named("raw.orders", "s3://shop-lake/orders/"))
                .containsExactly("s3://shop-lake", "orders");
        assertThat(named("marts.lake", "s3://shop-lake")).containsExactly("s3://shop-lake", "/");
    }

    @Test
    void theProjectsOwnDatasetsStayInTheWarehouseNamespace() {
        assertThat(named("raw.orders", "file:///work/shop/data/orders.csv"))
                .containsExactly(WAREHOUSE, "raw.orders");
        assertThat(named("raw.legacy", "database:other.duckdb")).containsExactly(WAREHOUSE, "raw.legacy");
        assertThat(named("marts.orders", null)).containsExactly(WAREHOUSE, "marts.orders");
    }
}
