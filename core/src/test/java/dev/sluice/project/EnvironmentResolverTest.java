package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentResolverTest {
    private static final String SECRET = "s3cr3t-Value";

    @TempDir
    Path dir;

    @Test
    void replacesEnvironmentReferencesInStringValuesAndKeepsThemAsSecrets() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  region: ${env:REGION}
                  label: "${env:PREFIX}-${env:REGION}"
                  count: 3
                allowed_paths: [/srv/data]
                sources:
                  raw.orders:
                    type: files
                    path: ${env:DATA_DIR}/orders/*.csv
                """);

        Project project = ProjectReader.read(dir, Map.of(),
                Map.of("REGION", "north", "PREFIX", "eu", "DATA_DIR", "/srv/data", "UNUSED", "x"));

        assertThat(project.vars()).containsEntry("region", "north").containsEntry("label", "eu-north").containsEntry("count", 3L);
        assertThat(((SourceSpec.Files) project.sources().get(0).spec()).path()).isEqualTo("/srv/data/orders/*.csv");
        assertThat(project.secrets()).containsExactly(new Secret("REGION", "north"), new Secret("PREFIX", "eu"),
                new Secret("DATA_DIR", "/srv/data"));
        assertThat(project.redact("read /srv/data as north")).isEqualTo("read ${env:DATA_DIR} as ${env:REGION}");
        assertThat(project.secretVars()).containsExactlyInAnyOrder("region", "label");
        assertThat(project.publicVars()).containsEntry("region", "${env:REGION}")
                .containsEntry("label", "${env:PREFIX}-${env:REGION}").containsEntry("count", 3L);
    }

    @Test
    void reportsAnUnsetVariableWithItsLine() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n  user: ${env:SHOP_USER}\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.getMessage()).isEqualTo("sluice.yml:3:9: Cannot resolve ${env:SHOP_USER}: environment variable SHOP_USER "
                + "is not set; set it before running sluice");
        assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
    }

    @Test
    void reportsABadVariableName() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n  user: ${env:SHOP-USER}\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:3:9: Cannot resolve ${env:SHOP-USER}: "
                + "'SHOP-USER' is not an environment variable name; use letters, digits and _");
    }

    @Test
    void leavesKeysAndNonStringValuesAlone() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n  n: 1\n  text: 'no reference ${other}'\n");

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.vars()).containsEntry("text", "no reference ${other}");
        assertThat(project.secrets()).isEmpty();
    }

    @Test
    void neverPrintsASecretInAnyMessage() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                catalog: ${env:CATALOG}
                defaults:
                  memory_limit: ${env:CATALOG}
                sources:
                  raw.orders:
                    type: files
                    path: data/x.${env:CATALOG}
                  raw.other:
                    type: ${env:CATALOG}
                """, "models/m.sql", "SELECT ${undefined_one}");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of("CATALOG", SECRET)));

        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage()).doesNotContain(SECRET).contains("'${env:CATALOG}'");
        assertThat(e.problems()).noneMatch(p -> p.contains(SECRET));
        assertThat(e.problems().get(0)).isEqualTo("sluice.yml:2:10: Cannot read catalog '${env:CATALOG}': expected warehouse (the default) or a map "
                + "{ type: postgres, url: jdbc:postgresql://host:port/database, user: ..., password: ${env:NAME} }; "
                + "fix catalog: in sluice.yml");
    }

    @Test
    void redactsASecretInTheSummaryLineToo() {
        // the project name itself comes from the environment here
        ProjectFixture.at(dir).files("sluice.yml", "name: ${env:NAME}\nnope: 1\n", "models/m.sql", "");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of("NAME", "topsecret")));

        assertThat(e.getMessage()).doesNotContain("topsecret").startsWith("Cannot load project '${env:NAME}': 2 problems");
    }

    @Test
    void readsAFileSecretFromAnOwnerOnlyFileRelativeToTheProject() throws Exception {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  token: ${file:secrets/token.txt}
                  label: "x-${file:secrets/token.txt}"
                """, "secrets/token.txt", SECRET + "\n");
        Files.setPosixFilePermissions(dir.resolve("secrets/token.txt"), PosixFilePermissions.fromString("rw-------"));

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.vars()).containsEntry("token", SECRET).containsEntry("label", "x-" + SECRET);
        assertThat(project.secrets()).containsExactly(new Secret("secrets/token.txt", SECRET, Secret.Origin.FILE));
        assertThat(project.publicVars()).containsEntry("token", "${file:secrets/token.txt}");
        assertThat(project.redact("it's " + SECRET)).isEqualTo("it's ${file:secrets/token.txt}");
        assertThat(project.secretVars()).containsExactlyInAnyOrder("token", "label");
    }

    @Test
    void refusesAFileSecretThatOthersMayReadNamingTheFileAndTheChmod() throws Exception {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n  token: ${file:token.txt}\n",
                "token.txt", SECRET);
        Path token = dir.resolve("token.txt").toAbsolutePath().normalize();
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.getMessage()).isEqualTo("sluice.yml:3:10: Cannot resolve ${file:token.txt}: " + token
                + " may be read or written by others than its owner (permissions rw-r-----); run chmod 600 " + token);
        assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
    }

    @Test
    void refusesAMissingAnEmptyOrAFolderFileSecretAndAnEmptyReference() throws Exception {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  a: ${file:missing.txt}
                  b: ${file:empty.txt}
                  c: ${file:folder}
                  d: ${file:}
                """, "empty.txt", "\n", "folder/x", "");
        Files.setPosixFilePermissions(dir.resolve("empty.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("folder"), PosixFilePermissions.fromString("rwx------"));
        Path root = dir.toAbsolutePath().normalize();

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:6: Cannot resolve ${file:missing.txt}: " + root.resolve("missing.txt") + " does not "
                        + "exist; create it holding only the secret and run chmod 600 " + root.resolve("missing.txt"),
                "sluice.yml:4:6: Cannot resolve ${file:empty.txt}: " + root.resolve("empty.txt")
                        + " is empty; write the secret into it",
                "sluice.yml:5:6: Cannot resolve ${file:folder}: " + root.resolve("folder") + " is not a file; point "
                        + "${file:...} at a file holding only the secret",
                "sluice.yml:6:6: Cannot resolve ${file:}: no file named; write ${file:path}, relative to the project "
                        + "folder");
    }

    @Test
    void aPasswordFromAFileIsAcceptedWhereOneFromTheEnvironmentIs() throws Exception {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                sources:
                  raw.customers:
                    type: jdbc
                    url: jdbc:postgresql://127.0.0.1:5432/shop
                    user: shop
                    password: ${file:/run/secrets/missing-pg}
                    table: public.customers
                """);

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        // the only problem is the file itself: the reference is a secret's, not a password in clear text
        assertThat(e.problems()).containsExactly("sluice.yml:7:15: Cannot resolve ${file:/run/secrets/missing-pg}: "
                + "/run/secrets/missing-pg does not exist; create it holding only the secret and run chmod 600 "
                + "/run/secrets/missing-pg");
    }
}
