package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.s3.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files sources on {@code s3://}, against an S3-compatible server in-process: whole reads and manifest-tracked reads
 * load exactly the objects' rows, a modified object is reloaded and only it, the ETags read are in the run's lineage,
 * and the server's failures fail the source by name and URL, publish nothing, and leave the next run exact.
 */
class S3SourceIT {
    private static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = S3Server.start("lake", "other");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ProjectFixture project(String prefix, String detection) {
        ProjectFixture project = ProjectFixture.at(dir.resolve("p"));
        project.write("sluice.yml", """
                name: s3p
                warehouse: target/s3p.duckdb
                s3: { endpoint: %s, region: us-east-1, path_style: true, buckets: [lake] }
                sources:
                  raw.orders:
                    type: files
                    path: s3://lake/%s/*.csv
                    header: true
                    columns: { order_id: BIGINT, customer: VARCHAR, amount: DOUBLE }
                    change_detection: %s
                    retries: 1
                    backoff: 10 ms
                    timeout: 5 seconds
                """.formatted(server.endpoint(), prefix, detection));
        project.write("models/orders_total.sql", """
                /*---
                materialized: table
                ---*/
                SELECT customer, sum(amount) AS total, count(*) AS orders FROM raw.orders GROUP BY customer
                """);
        return project;
    }

    private static List<List<Object>> rows(Sluice sluice, String sql) {
        return sluice.query(sql).rows();
    }

    @Test
    void wholeReadsLoadExactlyTheObjectsRowsAndFollowChanges() {
        server.put("lake", "full/a.csv", "order_id,customer,amount\n1,ann,10.5\n2,bob,20\n");
        server.put("lake", "full/b.csv", "order_id,customer,amount\n3,ann,1\n");
        server.put("lake", "full/skip.txt", "not,a,match\n");
        server.put("lake", "fuller/c.csv", "order_id,customer,amount\n9,zed,9\n");
        Sluice sluice = Sluice.open(project("full", "full").root());

        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(String.valueOf(first.sources())).isTrue();
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM raw.orders ORDER BY order_id"))
                .containsExactly(List.of(1L, "ann", 10.5), List.of(2L, "bob", 20.0), List.of(3L, "ann", 1.0));
        assertThat(rows(sluice, "SELECT customer, total FROM main.orders_total ORDER BY customer"))
                .containsExactly(List.of("ann", 11.5), List.of("bob", 20.0));

        server.put("lake", "full/b.csv", "order_id,customer,amount\n3,ann,2\n4,cid,4\n");
        server.delete("lake", "full/a.csv");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM raw.orders ORDER BY order_id"))
                .containsExactly(List.of(3L, "ann", 2.0), List.of(4L, "cid", 4.0));
    }

    @Test
    void manifestLoadsNewAndModifiedObjectsOnlyWithTheirEtagsInLineage() throws IOException {
        server.put("lake", "inc/a.csv", "order_id,customer,amount\n1,ann,10\n2,bob,20\n");
        server.put("lake", "inc/b.csv", "order_id,customer,amount\n3,ann,1\n");
        Sluice sluice = Sluice.open(project("inc", "manifest").root());

        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(String.valueOf(first.sources())).isTrue();
        assertThat(first.sources().get(0).rows()).isEqualTo(3);
        assertThat(rows(sluice, "SELECT path, content_hash FROM sluice.file_manifest ORDER BY path")).extracting(
                row -> row.get(0)).containsExactly("s3://lake/inc/a.csv", "s3://lake/inc/b.csv");

        // Nothing changed: nothing is loaded.
        RunResult idle = sluice.run(RunOptions.defaults());
        assertThat(idle.sources().get(0).rows()).isZero();

        // One object rewritten, one added: exactly those are read; the rewritten one's rows are replaced.
        server.put("lake", "inc/b.csv", "order_id,customer,amount\n3,ann,5\n4,bob,4\n");
        server.put("lake", "inc/c.csv", "order_id,customer,amount\n5,cid,7\n");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().extracting(SourceChange::summary)
                .asString().contains("1 new, 1 modified");
        RunOptions defaults = RunOptions.defaults();
        RunResult second = sluice.run(new RunOptions(defaults.select(), defaults.exclude(), defaults.vars(),
                defaults.threads(), defaults.failFast(), defaults.resume(), defaults.fullRefresh(),
                "target/openlineage.jsonl"));
        assertThat(second.succeeded()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(3);
        // OpenLineage names the input by its bucket and key prefix.
        String events = Files.readString(dir.resolve("p/target/openlineage.jsonl"));
        assertThat(events).contains("{\"namespace\":\"s3://lake\",\"name\":\"inc\"");
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM raw.orders ORDER BY order_id"))
                .containsExactly(List.of(1L, "ann", 10.0), List.of(2L, "bob", 20.0), List.of(3L, "ann", 5.0),
                        List.of(4L, "bob", 4.0), List.of(5L, "cid", 7.0));
        assertThat(rows(sluice, "SELECT customer, total FROM main.orders_total ORDER BY customer"))
                .containsExactly(List.of("ann", 15.0), List.of("bob", 24.0), List.of("cid", 7.0));
        // The manifest keeps each object's ETag; the run's lineage names the bucket's URL and the ETags read.
        List<List<Object>> manifest = rows(sluice, "SELECT path, content_hash FROM sluice.file_manifest ORDER BY path");
        assertThat(manifest).extracting(row -> row.get(1)).doesNotContainNull();
        String inputs = rows(sluice, "SELECT inputs FROM sluice.lineage_runs WHERE run_id = " + second.runId()
                + " AND model = 'main.orders_total'").get(0).get(0).toString();
        assertThat(inputs).contains("s3://lake/inc/b.csv").contains("s3://lake/inc/c.csv")
                .contains("\"etag\":\"" + manifest.get(1).get(1) + "\"");
        assertNoSecretIn(dir);
    }

    @Test
    void corruptLinesAreRejectedUnderTheirObjectsUrl() {
        server.put("lake", "rej/a.csv", "order_id,customer,amount\n1,ann,10\nx,bob,3\n2,cid,3\n");
        ProjectFixture fixture = project("rej", "manifest");
        fixture.replace("sluice.yml", "    retries: 1", "    max_rejected_fraction: 0.5\n    retries: 1");
        Sluice sluice = Sluice.open(fixture.root());
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).as(String.valueOf(result.sources())).isTrue();
        assertThat(result.sources().get(0).rejected()).isEqualTo(1);
        assertThat(rows(sluice, "SELECT order_id FROM raw.orders ORDER BY order_id"))
                .containsExactly(List.of(1L), List.of(2L));
        assertThat(rows(sluice, "SELECT file, line FROM sluice.rejects")).containsExactly(
                List.of("s3://lake/rej/a.csv", 3L));
    }

    @Test
    void jsonObjectsLoadLikeLocalJsonFiles() {
        server.put("lake", "json/a.json", "{\"order_id\": 1, \"customer\": \"ann\", \"amount\": 2.5}\n"
                + "{\"order_id\": 2, \"customer\": \"bob\", \"amount\": 4}\n");
        ProjectFixture fixture = ProjectFixture.at(dir.resolve("j"));
        fixture.write("sluice.yml", """
                name: s3j
                warehouse: target/s3j.duckdb
                s3: { endpoint: %s, path_style: true, buckets: [lake] }
                sources:
                  raw.orders:
                    type: files
                    path: s3://lake/json/*.json
                """.formatted(server.endpoint()));
        fixture.write("models/orders_copy.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT order_id, customer, amount FROM raw.orders\n");
        Sluice sluice = Sluice.open(fixture.root());
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).as(String.valueOf(result.sources())).isTrue();
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM main.orders_copy ORDER BY order_id"))
                .containsExactly(List.of(1L, "ann", 2.5), List.of(2L, "bob", 4.0));
    }

    @Test
    void aGlobMatchingNoObjectSaysSoWithItsUrl() {
        Sluice sluice = Sluice.open(project("nothing-here", "full").root());
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.run(RunOptions.defaults()))).hasMessageContaining("Cannot read source raw.orders (")
                .hasMessageContaining("no object matches path s3://lake/nothing-here/*.csv; add objects there, or "
                        + "fix the source's path in sluice.yml");
    }

    @Test
    void aStoppedServerFailsTheSourceByNameAndUrlPublishesNothingAndTheNextRunIsExact() throws IOException {
        server.put("lake", "down/a.csv", "order_id,customer,amount\n1,ann,10\n");
        Sluice sluice = Sluice.open(project("down", "manifest").root());
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        server.put("lake", "down/b.csv", "order_id,customer,amount\n2,bob,20\n");

        server.stop();
        RunResult failed;
        try {
            failed = sluice.run(RunOptions.defaults());
        } finally {
            server.startAgain();
        }
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sources()).singleElement().satisfies(source -> {
            assertThat(source.loaded()).isFalse();
            assertThat(source.error()).startsWith("Cannot load source raw.orders (sluice.yml:")
                    .contains("from s3://lake/down/*.csv: cannot reach " + server.endpoint() + " (tried 2 times)")
                    .contains("check that the server is up");
        });
        // Nothing from the failed run: the source and the model are as the first run left them.
        assertThat(rows(sluice, "SELECT order_id FROM raw.orders")).containsExactly(List.of(1L));
        assertThat(rows(sluice, "SELECT customer, total FROM main.orders_total")).containsExactly(
                List.of("ann", 10.0));

        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).isTrue();
        assertThat(rows(sluice, "SELECT order_id, customer, amount FROM raw.orders ORDER BY order_id"))
                .containsExactly(List.of(1L, "ann", 10.0), List.of(2L, "bob", 20.0));
        assertThat(rows(sluice, "SELECT customer, total FROM main.orders_total ORDER BY customer"))
                .containsExactly(List.of("ann", 10.0), List.of("bob", 20.0));
        assertNoSecretIn(dir);
    }

    @Test
    void aMissingBucketFailsAtOnceNamingTheSourceTheUrlAndTheFix() {
        ProjectFixture fixture = project("x", "full");
        fixture.replace("sluice.yml", "buckets: [lake]", "buckets: [lake, gone]");
        fixture.replace("sluice.yml", "s3://lake/x/*.csv", "s3://gone/x/*.csv");
        Sluice sluice = Sluice.open(fixture.root());
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.run(RunOptions.defaults()))).hasMessageStartingWith("Cannot read source raw.orders (")
                .hasMessageContaining("from s3://gone/x/*.csv: the bucket 'gone' does not exist at "
                        + server.endpoint() + "; create it");
    }

    @Test
    void aBucketTheProjectDoesNotAllowIsRefusedWhenTheProjectIsRead() {
        ProjectFixture fixture = project("x", "full");
        fixture.replace("sluice.yml", "s3://lake/x/*.csv", "s3://other/x/*.csv");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> Sluice.open(fixture.root()))).hasMessageContaining("sluice.yml:")
                .hasMessageContaining("Cannot read source raw.orders: the bucket 'other' of 's3://other/x/*.csv' is "
                        + "not one the project may use; add it to s3: { buckets: [other] } in sluice.yml");
    }

    /** The credentials came from the SDK's chain: no file Sluice wrote holds the secret key. */
    static void assertNoSecretIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(S3Server.SECRET_KEY);
            }
        }
    }
}
