package dev.sluice.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An http source's settings: what is read, and every mistake reported at its line with the fix. */
class HttpConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String source) {
        ProjectFixture project = ProjectFixture.at(dir.resolve("p"));
        project.write("sluice.yml", "name: p\nsources:\n  api.things:\n    type: http\n" + source.indent(4));
        SluiceException failure = ProjectFixture.failure(() -> Sluice.open(project.root()));
        return failure.problems();
    }

    @Test
    void aClearTextSecretIsRefusedWhereItIsWritten() {
        assertThat(problems("""
                url: https://api.example.com/things
                auth: { type: bearer, token: abc123 }
                columns: { id: BIGINT }""")).singleElement().asString().endsWith("sluice.yml:6:34: Cannot read source "
                + "api.things auth token: a secret must not be written in sluice.yml; set it in an environment "
                + "variable and write ${env:NAME}");
        assertThat(problems("""
                url: https://api.example.com/things
                auth: { type: basic, user: me, password: "pw" }
                columns: { id: BIGINT }""")).singleElement().asString().contains("auth password: a secret must not be "
                + "written in sluice.yml");
        assertThat(problems("""
                url: https://api.example.com/things
                auth: { type: header, name: X-Api-Key, value: k }
                columns: { id: BIGINT }""")).singleElement().asString().contains("auth value: a secret must not be "
                + "written in sluice.yml");
    }

    @Test
    void parametersAndHeadersNamedAsCredentialsMustComeFromTheEnvironment() {
        assertThat(problems("""
                url: https://api.example.com/things
                params: { api_key: abc, page_size: 10 }
                headers: { Authorization: "Token abc", Accept: text/json }
                columns: { id: BIGINT }""")).containsExactlyInAnyOrder("sluice.yml:6:24: Cannot read source "
                + "api.things params api_key: a secret must not be written in sluice.yml; set it in an environment "
                + "variable and write ${env:NAME}", "sluice.yml:7:31: Cannot read source api.things headers "
                + "Authorization: a secret must not be written in sluice.yml; set it in an environment variable and "
                + "write ${env:NAME}");
    }

    @Test
    void missingAndMalformedSettingsAreEachReported() {
        assertThat(problems("columns: { id: BIGINT }")).singleElement().asString().contains("Cannot read source "
                + "api.things: an http source needs url: (the address of the API's first page");
        assertThat(problems("""
                url: ftp://example.com/x
                columns: []
                records: "a..b"
                extra_fields: maybe
                rate_limit: fast
                pagination: { type: cursor }
                incremental: { cursor_field: changed, param: since }
                retries: -1
                auth: { type: bearer }
                unknown: 1""")).hasSize(9).anySatisfy(p -> assertThat(p).contains("url: 'ftp://example.com/x' is "
                + "not an http(s) address with a host"))
                .anySatisfy(p -> assertThat(p).contains("an http source needs columns: mapping each column"))
                .anySatisfy(p -> assertThat(p).contains("records: 'a..b' is not a JSON path"))
                .anySatisfy(p -> assertThat(p).contains("rate_limit: 'fast' is not a rate"))
                .anySatisfy(p -> assertThat(p).contains("cursor pagination needs cursor_path:"))
                .anySatisfy(p -> assertThat(p).contains("token: is missing; write token: ${env:NAME}"))
                .anySatisfy(p -> assertThat(p).contains("unknown key 'unknown'"))
                .anySatisfy(p -> assertThat(p).contains("extra_fields"))
                .anySatisfy(p -> assertThat(p).contains("retries"));
    }

    @Test
    void columnsPaginationAndIncrementalAreChecked() {
        assertThat(problems("""
                url: https://api.example.com/things?x=1
                columns: { id: "BIGINT; DROP", city: { type: VARCHAR, path: "a..b" }, _extra: JSON }
                """)).singleElement().asString().contains("'BIGINT; DROP' is not a type");
        assertThat(problems("""
                url: https://api.example.com/things
                columns: { city: { type: VARCHAR, path: "a..b" } }""")).singleElement().asString()
                .contains("column city: expected { type: ..., path: ... } with a JSON path");
        assertThat(problems("""
                url: https://api.example.com/things
                columns: { _extra: JSON }""")).singleElement().asString()
                .contains("column _extra is where extra fields are kept; rename it");
        assertThat(problems("""
                url: https://api.example.com/things
                columns: { id: BIGINT }
                pagination: { type: page, size: 10 }
                incremental: { cursor_field: changed_at, param: since }""")).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("size_param: and size: go together"))
                .anySatisfy(p -> assertThat(p).contains("'changed_at' is not one of the declared columns id"));
        assertThat(problems("""
                url: https://api.example.com/things
                columns: { id: BIGINT }
                pagination: { size: 10 }
                auth: { token: x }""")).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("pagination needs type: cursor, page, offset or link_header"))
                .anySatisfy(p -> assertThat(p).contains("auth needs type: bearer, basic or header"));
        assertThat(problems("""
                url: https://user:pw@api.example.com/things
                columns: { id: BIGINT }
                params: { a: [1, 2] }
                headers: nope
                auth: { type: basic }""")).hasSize(5)
                .anySatisfy(p -> assertThat(p).contains("no user or password in it: use auth:"))
                .anySatisfy(p -> assertThat(p).contains("'a' must be a single value"))
                .anySatisfy(p -> assertThat(p).contains("headers: expected a map of names to values"))
                .anySatisfy(p -> assertThat(p).contains("basic auth needs user: and password:"))
                .anySatisfy(p -> assertThat(p).contains("password: is missing"));
    }

    @Test
    void jsonPathsReadFieldsAndIndexes() {
        assertThat(JsonPath.parse("$.data.items").segments()).containsExactly("data", "items");
        assertThat(JsonPath.parse("data[0].rows").segments()).containsExactly("data", "0", "rows");
        assertThat(JsonPath.parse("$['odd.name'].x").segments()).containsExactly("odd.name", "x");
        assertThat(JsonPath.parse("$").segments()).isEmpty();
        assertThat(JsonPath.parse("a..b")).isNull();
        assertThat(JsonPath.parse("a/b~c").in(ApiData.JSON.createObjectNode().put("a/b~c", 5)).asInt()).isEqualTo(5);
    }

    @Test
    void theDatasetIsNamedAsOpenLineageNamesHttpSources() {
        assertThat(HttpConnector.dataset(java.net.URI.create("https://api.example.com/v1/things?key=1"), s -> s))
                .hasToString("https://api.example.com:443/v1/things");
        assertThat(HttpConnector.dataset(java.net.URI.create("http://localhost:8080"), s -> s))
                .hasToString("http://localhost:8080/");
        assertThat(HttpConnector.dataset(java.net.URI.create("http://h/x/abc"), s -> s.replace("abc",
                "${env:K}"))).hasToString("http://h:80/x/$%7Benv:K%7D");
    }
}
