package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.s3.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet lake outputs on {@code s3://}: each publish uploads a run-N version and then switches the bucket's pointer;
 * downstream models read the output back through its view; a failed upload fails the model, leaves the previous
 * version current (pointer, objects and view), and the next run publishes exactly.
 */
class S3LakeIT {
    private static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = S3Server.start("lake");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ProjectFixture project() {
        ProjectFixture project = ProjectFixture.at(dir.resolve("p"));
        project.write("sluice.yml", """
                name: s3lake
                warehouse: target/s3lake.duckdb
                s3: { endpoint: %s, path_style: true, buckets: [lake] }
                sources:
                  raw.orders:
                    type: files
                    path: data/*.csv
                    header: true
                    columns: { order_id: BIGINT, customer: VARCHAR, amount: DOUBLE }
                """.formatted(server.endpoint()));
        project.write("data/a.csv", "order_id,customer,amount\n1,ann,10\n2,bob,20\n3,ann,5\n");
        project.write("models/orders_lake.sql", """
                /*---
                materialized: table
                storage: { format: parquet, path: s3://lake/marts/orders }
                ---*/
                SELECT order_id, customer, amount FROM raw.orders
                """);
        project.write("models/customer_totals.sql", """
                /*---
                materialized: table
                ---*/
                SELECT customer, sum(amount) AS total FROM main.orders_lake GROUP BY customer
                """);
        return project;
    }

    private static List<List<Object>> rows(Sluice sluice, String sql) {
        return sluice.query(sql).rows();
    }

    @Test
    void publishesVersionsToTheBucketBehindAPointerAndReadsThemBack() throws IOException {
        ProjectFixture project = project();
        Sluice sluice = Sluice.open(project.root());
        RunOptions defaults = RunOptions.defaults();
        RunResult first = sluice.run(new RunOptions(defaults.select(), defaults.exclude(), defaults.vars(),
                defaults.threads(), defaults.failFast(), defaults.resume(), defaults.fullRefresh(),
                "target/openlineage.jsonl"));
        // OpenLineage names the output by its bucket and key prefix.
        assertThat(Files.readString(project.root().resolve("target/openlineage.jsonl")))
                .contains("{\"namespace\":\"s3://lake\",\"name\":\"marts/orders\"");
        assertThat(first.succeeded()).as(String.valueOf(first.models())).isTrue();
        String v1 = "marts/orders/run-" + first.runId() + "/";
        assertThat(server.keys("lake", "marts/orders/")).contains("marts/orders/_sluice_current.json")
                .anyMatch(key -> key.startsWith(v1) && key.endsWith(".parquet"));
        assertThat(server.get("lake", "marts/orders/_sluice_current.json"))
                .startsWith("{\"version\": \"run-" + first.runId() + "\"").contains(v1);
        // The uploaded objects are the files the view reads, byte for byte.
        Path local = project.root().resolve("target/lake-s3/lake/marts/orders/run-" + first.runId());
        try (var files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = v1 + local.relativize(file);
                try (var client = server.client()) {
                    assertThat(client.getObjectAsBytes(b -> b.bucket("lake").key(key)).asByteArray())
                            .isEqualTo(Files.readAllBytes(file));
                }
            }
        }
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM main.orders_lake ORDER BY order_id"))
                .containsExactly(List.of(1L, "ann", 10.0), List.of(2L, "bob", 20.0), List.of(3L, "ann", 5.0));
        assertThat(rows(sluice, "SELECT customer, total FROM main.customer_totals ORDER BY customer"))
                .containsExactly(List.of("ann", 15.0), List.of("bob", 20.0));

        // A failed upload: the model fails by name and URL, the pointer, objects and view stay on the first version.
        project.write("data/b.csv", "order_id,customer,amount\n4,cid,7\n");
        server.stop();
        RunResult failed;
        try {
            failed = sluice.run(RunOptions.defaults());
        } finally {
            server.startAgain();
        }
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.model("orders_lake").orElseThrow().error())
                .contains("Cannot upload model orders_lake's lake output to s3://lake/marts/orders/run-")
                .contains("cannot reach " + server.endpoint()).contains("the previous version stays current");
        assertThat(server.get("lake", "marts/orders/_sluice_current.json"))
                .startsWith("{\"version\": \"run-" + first.runId() + "\"");
        assertThat(rows(sluice, "SELECT count(*) FROM main.orders_lake")).containsExactly(List.of(3L));
        assertThat(rows(sluice, "SELECT customer, total FROM main.customer_totals ORDER BY customer"))
                .containsExactly(List.of("ann", 15.0), List.of("bob", 20.0));

        // The next run publishes exactly; the retired version leaves the bucket.
        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).isTrue();
        assertThat(server.get("lake", "marts/orders/_sluice_current.json"))
                .startsWith("{\"version\": \"run-" + next.runId() + "\"");
        assertThat(server.keys("lake", "marts/orders/")).noneMatch(key -> key.startsWith(v1));
        assertThat(rows(sluice, "SELECT customer, total FROM main.customer_totals ORDER BY customer"))
                .containsExactly(List.of("ann", 15.0), List.of("bob", 20.0), List.of("cid", 7.0));
        S3SourceIT.assertNoSecretIn(dir);
    }

    @Test
    void anIncrementalLakeOutputPublishesEachAppendAsAWholeVersion() {
        ProjectFixture project = project();
        project.replace("sluice.yml", "    columns:", "    change_detection: manifest\n    columns:");
        project.write("models/orders_lake.sql", """
                /*---
                materialized: incremental
                storage: { format: parquet, path: s3://lake/inc/orders }
                ---*/
                SELECT order_id, customer, amount FROM raw.orders
                """);
        Sluice sluice = Sluice.open(project.root());
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        project.write("data/b.csv", "order_id,customer,amount\n4,cid,7\n");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.model("orders_lake").orElseThrow().rows()).isEqualTo(1L);
        // The pointer names a version holding the earlier files and the appended one.
        String pointer = server.get("lake", "inc/orders/_sluice_current.json");
        assertThat(pointer).startsWith("{\"version\": \"run-" + second.runId() + "\"");
        List<String> named = java.util.Arrays.stream(pointer.split("\"")).filter(part -> part.endsWith(".parquet"))
                .toList();
        assertThat(named).hasSizeGreaterThanOrEqualTo(2);
        assertThat(server.keys("lake", "inc/orders/run-" + second.runId() + "/")).containsExactlyInAnyOrderElementsOf(
                named);
        assertThat(rows(sluice, "SELECT order_id FROM main.orders_lake ORDER BY order_id"))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L), List.of(4L));
    }

    @Test
    void aLakePathInABucketTheProjectDoesNotAllowIsRefused() {
        ProjectFixture project = project();
        project.replace("models/orders_lake.sql", "s3://lake/marts/orders", "s3://elsewhere/orders");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> Sluice.open(project.root()))).hasMessageContaining("Cannot read front matter storage path: "
                        + "'s3://elsewhere/orders' is in the bucket 'elsewhere', which is not one the project may use; "
                        + "add it to s3: { buckets: [elsewhere] } in sluice.yml");
    }
}
