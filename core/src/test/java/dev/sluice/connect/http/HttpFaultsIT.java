package dev.sluice.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An http source's faults, each made by the test server at a named request: 500 then success, 429 with Retry-After,
 * a request that never answers, a server that is down, malformed JSON in page 3. In each: the error (naming the
 * source, the URL with its secrets hidden and the page), nothing partial published, the checkpoint kept, and a clean
 * next run with exactly the API's records. Nothing Sluice wrote holds the token.
 */
class HttpFaultsIT {
    private static final String TOKEN = HttpSourceIT.TOKEN;
    private static ApiServer server;
    private static final ApiData DATA = new ApiData();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = new ApiServer();
        DATA.serve(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
        DATA.reset();
    }

    /** The scenario, with the token sent as a query parameter too: it then is part of every URL. */
    private ProjectFixture project(String timeout) {
        ProjectFixture project = ProjectFixture.copy("http_customers", dir);
        project.replace("sluice.yml", "http://127.0.0.1:0", server.base());
        project.replace("sluice.yml", "    records: $.data", "    params: { api_key: \"${env:SLUICE_TEST_HTTP_TOKEN}\" }"
                + "\n    records: $.data");
        project.replace("sluice.yml", "timeout: 2 seconds", "timeout: " + timeout);
        return project;
    }

    private static List<List<Object>> loaded(ProjectFixture project) {
        return project.query("SELECT id, name, city, CAST(updated_at AS VARCHAR) FROM api.customers ORDER BY id")
                .rows();
    }

    private static boolean page(ApiServer.Hit hit, String cursor) {
        return cursor.equals(hit.param("cursor"));
    }

    @Test
    void a500IsRetriedAndTheLoadSucceeds() {
        server.fault("/cursor", hit -> page(hit, "3"), 1, ApiServer.Reply.status(500, "oops", Map.of()));
        ProjectFixture project = project("2 seconds");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(server.hits("/cursor")).extracting(hit -> hit.param("cursor")).containsExactly(null, "3", "3",
                "6");
    }

    @Test
    void a429WaitsAsLongAsRetryAfterSays() {
        server.fault("/cursor", hit -> page(hit, "3"), 1, ApiServer.Reply.status(429, "", Map.of("Retry-After", "1")));
        ProjectFixture project = project("2 seconds");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        List<ApiServer.Hit> asked = server.hits("/cursor").stream().filter(hit -> page(hit, "3")).toList();
        assertThat(asked).hasSize(2);
        // The backoff is 10 ms: the second wait is the server's second.
        assertThat(asked.get(1).nanos() - asked.get(0).nanos()).isGreaterThanOrEqualTo(950_000_000L);
    }

    @Test
    void aRequestThatNeverAnswersTimesOutAndIsRetried() {
        server.fault("/cursor", hit -> page(hit, "3"), 1, ApiServer.Reply.hanging());
        ProjectFixture project = project("300 ms");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(server.hits("/cursor").stream().filter(hit -> page(hit, "3"))).hasSize(2);
    }

    @Test
    void retriesRunOutWithAnErrorNamingTheCause() {
        server.fault("/cursor", hit -> page(hit, "3"), 3, ApiServer.Reply.hanging());
        ProjectFixture project = project("300 ms");
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).isEqualTo("Cannot load source api.customers (sluice.yml:4:3): GET "
                + server.base() + "/cursor?api_key=${env:SLUICE_TEST_HTTP_TOKEN}&cursor=3 (page 2): no answer within "
                + "timeout 300 ms after 2 retries; raise timeout: if the API is slow; fix the data, or the source's "
                + "definition in sluice.yml");
        assertThat(server.hits("/cursor").stream().filter(hit -> page(hit, "3"))).hasSize(3);
        assertThat(project.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'api'")
                .rows().get(0).get(0)).isEqualTo(0L);
    }

    @Test
    void a503ThatLastsFailsAfterTheRetriesWithTheServersWords() {
        // Retry-After as an HTTP date already past: no wait beyond the backoff.
        server.fault("/cursor", hit -> true, 5, ApiServer.Reply.status(503, "down for maintenance",
                Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
        ProjectFixture project = project("2 seconds");
        project.replace("sluice.yml", "retries: 2", "retries: 1");
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).isEqualTo("Cannot load source api.customers (sluice.yml:4:3): GET "
                + server.base() + "/cursor?api_key=${env:SLUICE_TEST_HTTP_TOKEN} (page 1): HTTP 503: down for "
                + "maintenance after 1 retry; fix the data, or the source's definition in sluice.yml");
        assertThat(server.hits("/cursor")).hasSize(2);
    }

    @Test
    void aServerThatIsDownFailsItsSourceAndTheModelsReadingIt() {
        ApiServer down = new ApiServer();
        String url = down.base();
        down.close();
        ProjectFixture project = project("2 seconds");
        project.replace("sluice.yml", server.base(), url);
        project.write("models/independent.sql", "SELECT 1 AS one");
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).startsWith("Cannot load source api.customers (sluice.yml:4:3): GET "
                + url + "/cursor?api_key=${env:SLUICE_TEST_HTTP_TOKEN} (page 1): cannot reach the server (")
                .contains("after 2 retries; check that the API is up and url: is right");
        assertThat(run.model("independent").orElseThrow().status().toString()).isEqualTo("SUCCESS");
        assertThat(run.model("city_counts").orElseThrow().status().toString()).isNotEqualTo("SUCCESS");
    }

    @Test
    void malformedJsonInPage3PublishesNothingAndTheNextRunIsExact() throws Exception {
        ProjectFixture project = project("2 seconds");
        assertThat(project.run().succeeded()).isTrue();

        // Seven more customers: three pages of news, the third broken once.
        for (int i = 10; i <= 16; i++) {
            DATA.put(new ApiData.Customer(i, "name" + i, "Rome", "2026-01-" + i + "T10:00:00", "basic"));
        }
        server.fault("/cursor", hit -> page(hit, "6"), 1, ApiServer.Reply.json("{\"data\": [{\"id\": 16,"));
        RunResult failed = project.run();

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sources().get(0).error()).isEqualTo("Cannot load source api.customers (sluice.yml:4:3): GET "
                + server.base() + "/cursor?api_key=${env:SLUICE_TEST_HTTP_TOKEN}&since=2026-01-07T10:00:00&cursor=6 "
                + "(page 3): malformed JSON at line 1, column 21: Unexpected end-of-input within/between Object "
                + "entries; fix the data, or the source's definition in sluice.yml");
        // Nothing of pages 1 and 2 was published, and the checkpoint did not move.
        assertThat(loaded(project)).hasSize(7);
        assertThat(project.query("SELECT watermark FROM sluice.watermarks").rows())
                .containsExactly(List.of("2026-01-07 10:00:00"));
        assertThat(project.query("SELECT count(*) FROM main.customer_copy").rows().get(0).get(0)).isEqualTo(7L);

        server.reset();
        RunResult next = project.run();
        assertThat(next.succeeded()).as(String.valueOf(next.sources())).isTrue();
        assertThat(next.sources().get(0).rows()).isEqualTo(7);
        assertThat(server.hits("/cursor").get(0).param("since")).isEqualTo("2026-01-07T10:00:00");
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(project.query("SELECT id, name, city, CAST(updated_at AS VARCHAR) FROM main.customer_copy "
                + "ORDER BY id").rows()).isEqualTo(DATA.rows());

        assertNoTokenWritten(project.root());
    }

    /** Every table and view of the warehouse and catalog, and every byte under target/, without the token. */
    private static void assertNoTokenWritten(Path project) throws Exception {
        List<String> dumped = new ArrayList<>();
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(project.resolve("target/http_customers.duckdb"));
                Session session = engine.session()) {
            for (List<Object> relation : session.query("SELECT schema_name, table_name, sql FROM duckdb_tables() "
                    + "UNION ALL SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal").values()) {
                dumped.add(String.valueOf(relation.get(2)));
                Rows rows = session.query("SELECT * FROM \"" + relation.get(0) + "\".\"" + relation.get(1) + "\"");
                dumped.add(rows.columns() + " " + rows.values());
            }
        }
        String catalog = String.join("\n", dumped);
        assertThat(catalog).contains("api_key=${env:SLUICE_TEST_HTTP_TOKEN}");
        List<String> forms = List.of(TOKEN, TOKEN.replace("'", "''"), java.net.URLEncoder.encode(TOKEN,
                StandardCharsets.UTF_8), "tok3n");
        assertThat(catalog).doesNotContain(forms);
        try (Stream<Path> files = Files.walk(project.resolve("target"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(forms);
                }
            }
        }
    }
}
