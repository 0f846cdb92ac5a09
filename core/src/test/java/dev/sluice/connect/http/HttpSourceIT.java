package dev.sluice.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.connect.SourceConnectors;
import dev.sluice.connect.SourceInput;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.project.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: http} sources read from a real HTTP server on loopback through whole pipelines: each pagination style,
 * each kind of credentials, nested fields and extra fields, incremental runs that ask only for newer records, and the
 * rate limit as the server counts it.
 */
class HttpSourceIT {
    static final String TOKEN = System.getenv("SLUICE_TEST_HTTP_TOKEN");
    static final String PASSWORD = System.getenv("SLUICE_TEST_HTTP_PASSWORD");
    private static ApiServer server;
    private static final ApiData DATA = new ApiData();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        assertThat(TOKEN).as("surefire sets SLUICE_TEST_HTTP_TOKEN (pom.xml)").isNotBlank();
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

    /** The scenario, its source reading {@code path} of the test server. */
    private ProjectFixture project() {
        ProjectFixture project = ProjectFixture.copy("http_customers", dir);
        project.replace("sluice.yml", "http://127.0.0.1:0", server.base());
        return project;
    }

    /** The scenario with the source's settings after its columns replaced by {@code settings}. */
    private ProjectFixture project(String path, String auth, String settings) {
        ProjectFixture project = project();
        // The model of the kept extra fields: these variants mostly keep none.
        try {
            java.nio.file.Files.delete(project.root().resolve("models/tiers.sql"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        project.write("sluice.yml", """
                name: http_customers
                warehouse: target/http_customers.duckdb
                sources:
                  api.customers:
                    type: http
                    url: %s%s
                %s
                    columns:
                      id: BIGINT
                      name: VARCHAR
                      city: { type: VARCHAR, path: address.city }
                      updated_at: TIMESTAMP
                %s
                    retries: 2
                    backoff: 10 ms
                """.formatted(server.base(), path, auth.indent(4).stripTrailing(), settings.indent(4).stripTrailing()));
        return project;
    }

    private static List<List<Object>> loaded(ProjectFixture project) {
        return project.query("SELECT id, name, city, CAST(updated_at AS VARCHAR) FROM api.customers ORDER BY id")
                .rows();
    }

    @Test
    void cursorPagesWithABearerTokenLoadNestedFieldsKeepExtrasAndBuildTheModels() {
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        ProjectFixture project = project();
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(run.sources()).singleElement().extracting(SourceResult::rows).isEqualTo(7L);
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        // The top-level fields no column reads, kept as JSON (address is read, through city: its zip is not extra).
        assertThat(project.query("SELECT CAST(_extra AS VARCHAR) FROM api.customers WHERE id = 1").rows().get(0)
                .get(0)).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(project.query("SELECT city, customers FROM main.city_counts ORDER BY city").rows())
                .containsExactly(List.of("Lyon", 3L), List.of("Oslo", 4L));
        assertThat(project.query("SELECT count(*) FROM main.customer_copy").rows().get(0).get(0)).isEqualTo(7L);
        // A model reads the kept fields with DuckDB's JSON functions.
        assertThat(project.query("SELECT tier, customers FROM main.tiers ORDER BY tier").rows())
                .containsExactly(List.of("basic", 4L), List.of("gold", 3L));
        // Three pages of three, the cursor sent back, the first page asked with none.
        assertThat(server.hits("/cursor")).extracting(hit -> hit.param("cursor")).containsExactly(null, "3", "6");
    }

    @Test
    void pageNumbersWithBasicCredentialsStopAtTheFirstEmptyPage() {
        server.requireHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                ("reader:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        ProjectFixture project = project("/page", """
                auth: { type: basic, user: reader, password: "${env:SLUICE_TEST_HTTP_PASSWORD}" }
                records: items""", """
                extra_fields: ignore
                pagination: { type: page, page_param: page, start: 1, size_param: per_page, size: 2 }""");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(server.hits("/page")).extracting(hit -> hit.param("page")).containsExactly("1", "2", "3", "4",
                "5");
        assertThat(project.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'api' "
                + "AND table_name = 'customers' ORDER BY ordinal_position").rows()).extracting(row -> row.get(0))
                .containsExactly("id", "name", "city", "updated_at");
    }

    @Test
    void offsetsWithAnApiKeyHeaderStopAtAShortPage() {
        server.requireHeader("X-Api-Key", TOKEN);
        ProjectFixture project = project("/offset", """
                auth: { type: header, name: X-Api-Key, value: "${env:SLUICE_TEST_HTTP_TOKEN}" }""", """
                extra_fields: ignore
                pagination: { type: offset, offset_param: offset, limit_param: limit, limit: 3 }""");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(server.hits("/offset")).extracting(hit -> hit.param("offset")).containsExactly("0", "3", "6");
    }

    @Test
    void theLinkHeaderLeadsToTheNextPage() {
        ProjectFixture project = project("/link", "params: { region: eu }", """
                extra_fields: ignore
                pagination: { type: link_header }""");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        // The first request carries the parameters; the next ones follow the server's links as given.
        assertThat(server.hits("/link")).extracting(hit -> hit.param("region") + "/" + hit.param("p"))
                .containsExactly("eu/null", "null/2", "null/3");
    }

    @Test
    void aWrongTokenIsRefusedOnceWithAClearErrorAndNoRetry() {
        server.requireHeader("Authorization", "Bearer something-else");
        ProjectFixture project = project();
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).startsWith("Cannot load source api.customers (sluice.yml:4:3): GET "
                + server.base() + "/cursor (page 1): HTTP 401: the server refused the credentials: "
                + "{\"error\":\"invalid credentials\"}; check auth: and the environment variable it reads")
                .doesNotContain(TOKEN);
        assertThat(server.hits("/cursor")).hasSize(1);
        assertThat(run.model("customer_copy").orElseThrow().status().toString()).isNotEqualTo("SUCCESS");
    }

    @Test
    void extraFieldsCanBeRefusedNamingTheField() {
        ProjectFixture project = project("/offset", "", """
                extra_fields: refuse
                pagination: { type: offset, limit: 3 }""");
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).contains("GET " + server.base() + "/offset?offset=0&limit=3 "
                + "(page 1): record 1 has field 'tier', which no column reads (extra_fields: refuse); declare it in "
                + "columns:, or set extra_fields: keep or ignore");
        assertThat(project.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'api'")
                .rows().get(0).get(0)).isEqualTo(0L);
    }

    @Test
    void anIncrementalRunAsksOnlyForNewerRecordsAndKeepsOneRowPerKey() {
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        ProjectFixture project = project();
        assertThat(project.run().succeeded()).isTrue();

        // One customer changed, two new: the next run sends the checkpoint and loads only those three.
        DATA.put(new ApiData.Customer(2, "name2-renamed", "Lyon", "2026-01-08T09:00:00", "gold"));
        DATA.put(new ApiData.Customer(8, "name8", "Oslo", "2026-01-08T10:00:00", "basic"));
        DATA.put(new ApiData.Customer(9, "name9", "Rome", "2026-01-09T10:00:00", "basic"));
        server.reset();
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        RunResult second = project.run();

        assertThat(second.succeeded()).as(String.valueOf(second.sources())).isTrue();
        assertThat(server.hits("/cursor")).extracting(hit -> hit.param("since")).containsOnly("2026-01-07T10:00:00");
        assertThat(second.sources().get(0).rows()).isEqualTo(3);
        assertThat(second.model("customer_copy").orElseThrow().rows()).isEqualTo(3L);
        assertThat(loaded(project)).isEqualTo(DATA.rows());
        assertThat(project.query("SELECT id, name, city, CAST(updated_at AS VARCHAR) FROM main.customer_copy "
                + "ORDER BY id").rows()).isEqualTo(DATA.rows());
        assertThat(project.query("SELECT watermark FROM sluice.watermarks WHERE source = 'api.customers'").rows())
                .containsExactly(List.of("2026-01-09 10:00:00"));

        RunResult third = project.run();
        assertThat(third.sources().get(0).rows()).isZero();
    }

    @Test
    void theRateLimitHoldsAsTheServerCountsRequests() {
        ProjectFixture project = project("/offset", "", """
                extra_fields: ignore
                pagination: { type: offset, limit: 1 }
                rate_limit: 4 per second""");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        List<Long> times = server.hits("/offset").stream().map(ApiServer.Hit::nanos).toList();
        assertThat(times).hasSize(8);
        // In any one-second window, at most 4 requests (and one more at the window's edge).
        for (int i = 0; i < times.size(); i++) {
            long start = times.get(i);
            assertThat(times.stream().filter(t -> t >= start && t < start + 1_000_000_000L).count())
                    .as("requests in the second after request %d", i).isLessThanOrEqualTo(5);
        }
        assertThat(times.get(times.size() - 1) - times.get(0)).isGreaterThanOrEqualTo(1_500_000_000L);
    }

    @Test
    void lineageNamesTheApiAndTheCursorRangeReadAndPlanAsksNothing() {
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        ProjectFixture project = project();
        Sluice sluice = project.open();
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().extracting(SourceChange::summary)
                .isEqualTo("first load: every record of the API");
        assertThat(project.run().succeeded()).isTrue();
        DATA.put(new ApiData.Customer(8, "name8", "Oslo", "2026-01-08T10:00:00", "basic"));
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().extracting(SourceChange::summary)
                .isEqualTo("records with updated_at after 2026-01-07 10:00:00 (sent as since=2026-01-07T10:00:00); "
                        + "the API is asked when it loads");
        server.reset();
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        RunResult second = project.run();

        assertThat(server.hits()).hasSize(1);
        String inputs = project.query("SELECT CAST(inputs AS VARCHAR) FROM sluice.lineage_runs WHERE run_id = "
                + second.runId() + " AND model = 'main.customer_copy'").rows().get(0).get(0).toString();
        assertThat(inputs).contains("\"source\":\"api.customers\"", "\"read\":\"slice\"",
                "\"watermark_from\":\"2026-01-07 10:00:00\"", "\"watermark_to\":\"2026-01-08 10:00:00\"");
        // OpenLineage's naming for HTTP: the data source scheme://host:port with the path, what the run events carry.
        ProjectFixture whole = ProjectFixture.at(dir.resolve("whole"));
        whole.write("sluice.yml", "name: whole\nsources:\n  api.things:\n    type: http\n    url: " + server.base()
                + "/v1/things?limit=5\n    columns: { id: BIGINT }\n");
        Project read = ProjectReader.read(whole.root(), Map.of());
        Source source = read.sources().get(0);
        assertThat(SourceConnectors.of(source).input(source, null, null, new SourceInput.Context(read, null)).uri())
                .hasToString(server.base() + "/v1/things");
    }

    @Test
    void aValueOfTheWrongTypeIsReportedWithItsPageAndRecord() {
        server.route("/typed", hit -> ApiServer.Reply.json("[{\"id\": 1, \"name\": \"a\", \"updated_at\": "
                + "\"2026-01-01T00:00:00\"}, {\"id\": \"two\", \"name\": \"b\"}]"));
        ProjectFixture project = project("/typed", "", "extra_fields: refuse");
        RunResult run = project.run();

        assertThat(run.succeeded()).isFalse();
        assertThat(run.sources().get(0).error()).isEqualTo("Cannot load source api.customers (sluice.yml:4:3): "
                + "page 1, record 2: column id cannot hold 'two' (BIGINT); fix its type in columns:; fix the data, or "
                + "the source's definition in sluice.yml");
    }

    @Test
    void pagesOfAnotherShapeAreRefusedClearly() {
        server.route("/object", hit -> ApiServer.Reply.json("{\"data\": {\"id\": 1}}"));
        server.route("/scalars", hit -> ApiServer.Reply.json("{\"data\": [1, 2]}"));
        server.route("/away", hit -> new ApiServer.Reply(200, "[]", Map.of("Link",
                "<http://example.com/next>; rel=\"next\""), false));
        String base = server.base();
        assertThat(error(project("/object", "records: data", ""))).endsWith("GET " + base + "/object (page 1): "
                + "records at 'data' are an object, not an array; set records: to the JSON path of the array of "
                + "records; fix the data, or the source's definition in sluice.yml");
        assertThat(error(project("/scalars", "records: data", ""))).contains("GET " + base + "/scalars (page 1): "
                + "record 1 is number, not an object");
        assertThat(error(project("/missing", "", ""))).contains("GET " + base + "/missing (page 1): HTTP 404: "
                + "{\"error\":\"no such path\"}; check url:, params: and headers:");
        assertThat(error(project("/away", "", "pagination: { type: link_header }"))).contains("the Link header's next "
                + "page http://example.com/next is on another server; Sluice sends credentials only to the server "
                + "of url:");
        assertThat(server.hits("/missing")).hasSize(1);
    }

    private static String error(ProjectFixture project) {
        RunResult run = project.run();
        assertThat(run.succeeded()).isFalse();
        return run.sources().get(0).error();
    }

    @Test
    void fourHundredPagesLoadExactlyOneAtATime() {
        int records = 10_000;
        server.route("/many", hit -> {
            int offset = Integer.parseInt(hit.param("offset"));
            StringBuilder page = new StringBuilder("[");
            for (int id = offset + 1; id <= Math.min(records, offset + 25); id++) {
                page.append(id == offset + 1 ? "" : ",").append("{\"id\":").append(id).append(",\"name\":\"n")
                        .append(id).append("\",\"address\":{\"city\":\"c").append(id % 7).append("\"}}");
            }
            return ApiServer.Reply.json(page.append("]").toString());
        });
        ProjectFixture project = project("/many", "", "pagination: { type: offset, limit: 25 }");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(run.sources().get(0).rows()).isEqualTo(records);
        assertThat(server.hits("/many")).hasSize(records / 25 + 1);
        assertThat(project.query("SELECT count(DISTINCT id), sum(id), count(*) FILTER (WHERE name = 'n' || id AND "
                + "city = 'c' || (id % 7)) FROM api.customers").rows()).containsExactly(List.of(10_000L,
                        java.math.BigInteger.valueOf(50_005_000L), 10_000L));
    }

    @Test
    void theReadmeExampleRunsAsWritten() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(ProjectFixture.REPOSITORY.resolve("README.md"));
        String section = readme.substring(readme.indexOf("### APIs (type: http)"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
        server.requireHeader("Authorization", "Bearer " + TOKEN);
        ProjectFixture project = ProjectFixture.at(dir.resolve("crm"));
        project.write("sluice.yml", yaml.replace("https://api.example.com", server.base())
                .replace("${env:CRM_TOKEN}", "${env:SLUICE_TEST_HTTP_TOKEN}"));
        project.write("models/by_city.sql", "SELECT city, count(*) AS customers FROM crm.customers GROUP BY city");
        RunResult run = project.run();

        assertThat(run.succeeded()).as(String.valueOf(run.sources())).isTrue();
        assertThat(project.query("SELECT id, name, city, CAST(updated_at AS VARCHAR) FROM crm.customers ORDER BY id")
                .rows()).isEqualTo(DATA.rows());
        assertThat(server.hits("/v1/customers")).allSatisfy(hit -> assertThat(hit.param("status")).isEqualTo("active"))
                .allSatisfy(hit -> assertThat(hit.headers().get("accept-language")).isEqualTo("en"));
    }
}
