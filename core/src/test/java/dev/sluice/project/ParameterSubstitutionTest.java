package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterSubstitutionTest {
    @TempDir
    Path dir;

    private String sqlOf(String yamlVars, Map<String, String> overrides, String modelSql) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars:\n" + yamlVars, "models/m.sql", modelSql);
        return ProjectReader.read(dir, overrides, Map.of()).models().get(0).sql();
    }

    @Test
    void substitutesTypedLiterals() {
        String sql = sqlOf("""
                  n: 10
                  big: 12345678901234567890
                  d: 1.50
                  e: 2.5e3
                  yes_no: true
                  off: false
                  day: 2024-01-31
                  s: O'Brien
                  nothing: ~
                """, Map.of(), "SELECT ${n}, ${big}, ${d}, ${e}, ${yes_no}, ${off}, ${day}, ${s}, ${nothing}");

        assertThat(sql).isEqualTo("SELECT 10, 12345678901234567890, 1.50, 2500, TRUE, FALSE, DATE '2024-01-31', 'O''Brien', NULL");
    }

    @Test
    void overridesWinAndAreTypedLikeYaml() {
        String sql = sqlOf("  min_amount: 0\n  region: north\n",
                Map.of("min_amount", "12.5", "region", "2024-06-01", "new_one", "it's", "flag", "false"),
                "SELECT ${min_amount}, ${region}, ${new_one}, ${flag}");

        // region is declared a string, so a date-shaped override stays a string
        assertThat(sql).isEqualTo("SELECT 12.5, '2024-06-01', 'it''s', FALSE");
    }

    @Test
    void overridesKeepTheTypeOfTheDeclaredValue() {
        String sql = sqlOf("  n: 1\n  ratio: 0.5\n  on: false\n  since: 2024-01-01\n  label: north\n  open: ~\n",
                Map.of("n", "-3.5", "ratio", "2", "on", "TRUE", "since", "2024-02-29", "label", "42", "open", "7"),
                "SELECT ${n}, ${ratio}, ${on}, ${since}, ${label}, ${open}");

        assertThat(sql).isEqualTo("SELECT (-3.5), 2, TRUE, DATE '2024-02-29', '42', 7");
    }

    @Test
    void refusesAnOverrideOfAnotherTypeThanTheDeclaredValue() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { min_quantity: 1, ratio: 0.5, on: true, since: 2024-01-01 }\n",
                "models/m.sql", "SELECT * FROM t WHERE quantity >= ${min_quantity} AND ${ratio} > 0 AND ${on}"
                        + " AND d > ${since}");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, new java.util.TreeMap<>(Map.of("min_quantity", "abc", "ratio", "1/2",
                "on", "yes", "since", "soon")), Map.of()));

        assertThat(e.problems()).containsExactly(
                "--var: Cannot read --var min_quantity: 'abc' is not a number, as its declared value 1 in sluice.yml"
                        + " is; fix the value",
                "--var: Cannot read --var on: 'yes' is not a boolean (true or false), as its declared value TRUE in"
                        + " sluice.yml is; fix the value",
                "--var: Cannot read --var ratio: '1/2' is not a number, as its declared value 0.5 in sluice.yml is;"
                        + " fix the value",
                "--var: Cannot read --var since: 'soon' is not a date (yyyy-MM-dd), as its declared value"
                        + " DATE '2024-01-01' in sluice.yml is; fix the value");
        assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
    }

    @Test
    void refusesAnOverrideThatNoSqlReadsNamingTheKnownParameters() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { min_quantity: 1 }\n",
                "models/m.sql", "SELECT * FROM t WHERE quantity >= ${min_quantity} AND region = ${region}");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, new java.util.TreeMap<>(Map.of("nosuch", "1", "min_quantty", "2",
                "region", "north")), Map.of()));

        assertThat(e.problems()).containsExactly(
                "--var: Cannot read --var min_quantty: no such parameter: sluice.yml declares no var min_quantty and"
                        + " no model reads ${min_quantty} (known parameters: min_quantity, region); did you mean"
                        + " 'min_quantity'?",
                "--var: Cannot read --var nosuch: no such parameter: sluice.yml declares no var nosuch and no model"
                        + " reads ${nosuch} (known parameters: min_quantity, region); declare it under vars in"
                        + " sluice.yml or drop the --var");
    }

    @Test
    void anOverrideWithNothingDeclaredOrReadSaysSo() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/m.sql", "SELECT 1 AS x");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of("x", "1"), Map.of())).getMessage()).isEqualTo("--var: Cannot read --var x: no"
                + " such parameter: sluice.yml declares no var x and no model reads ${x} (known parameters: none);"
                + " declare it under vars in sluice.yml or drop the --var");
    }

    @Test
    void aValueCannotInjectSql() {
        String sql = sqlOf("  name: x\n", Map.of("name", "x'; DROP TABLE t; --"), "SELECT * FROM t WHERE name = ${name}");

        assertThat(sql).isEqualTo("SELECT * FROM t WHERE name = 'x''; DROP TABLE t; --'");
    }

    @Test
    void negativeNumbersCannotTurnIntoComments() {
        String sql = sqlOf("  n: -1\n  d: -0.5\n", Map.of(), "SELECT 5 -${n}, 5 -${d}");

        assertThat(sql).isEqualTo("SELECT 5 -(-1), 5 -(-0.5)");
    }

    @Test
    void leavesTheFrontMatterAlone() {
        String sql = sqlOf("  n: 1\n", Map.of(), "/*---\ndescription: uses ${n} and ${undefined}\n---*/\nSELECT ${n}");

        assertThat(sql).isEqualTo("/*---\ndescription: uses ${n} and ${undefined}\n---*/\nSELECT 1");
    }

    @Test
    void reportsEveryUndefinedParameterWithItsPositionAndTheDefinedOnes() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { b_var: 1, a_var: 2 }\n",
                "models/sub/m.sql", "/*---\nmaterialized: view\n---*/\nSELECT ${missing}\nFROM t WHERE ${a_var} = ${other}");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of("c_var", "3"), Map.of()));

        assertThat(e.problems()).containsExactly(
                "models/sub/m.sql:4:8: Cannot substitute parameter ${missing}: it is not defined (defined parameters: a_var, b_var, "
                        + "c_var); add it to vars in sluice.yml or pass --var missing=VALUE",
                "models/sub/m.sql:5:25: Cannot substitute parameter ${other}: it is not defined (defined parameters: a_var, b_var, "
                        + "c_var); add it to vars in sluice.yml or pass --var other=VALUE",
                "--var: Cannot read --var c_var: no such parameter: sluice.yml declares no var c_var and no model reads"
                        + " ${c_var} (known parameters: a_var, b_var, missing, other); did you mean 'a_var'?");
        assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
    }

    @Test
    void saysSoWhenNoParameterIsDefined() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/m.sql", "SELECT ${x}");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("models/m.sql:1:8: Cannot substitute parameter ${x}: it is not defined "
                + "(defined parameters: none); add it to vars in sluice.yml or pass --var x=VALUE");
    }

    @Test
    void refusesEnvironmentReferencesInModels() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/m.sql", "SELECT '${env:DB_PASSWORD}'");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of("DB_PASSWORD", "hunter2")));

        assertThat(e.getMessage()).isEqualTo("models/m.sql:1:9: Cannot substitute ${env:DB_PASSWORD} in a model: environment "
                + "variables hold secrets, which belong in sluice.yml (a source's settings), never in model SQL; read the value "
                + "through a source instead");
    }

    @Test
    void refusesBadNamesAndUnclosedReferences() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/m.sql", "SELECT ${1st}, ${a b}, ${");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/m.sql:1:8: Cannot substitute parameter ${1st}: '1st' is not a parameter name; use letters, digits and _, "
                        + "not starting with a digit",
                "models/m.sql:1:16: Cannot substitute parameter ${a b}: 'a b' is not a parameter name; use letters, digits and _, "
                        + "not starting with a digit",
                "models/m.sql:1:24: Cannot substitute parameter: '${' has no closing '}'; write ${name}");
    }

    @Test
    void rendersLiterals() {
        assertThat(ParameterValues.literal(null)).isEqualTo("NULL");
        assertThat(ParameterValues.literal(42L)).isEqualTo("42");
        assertThat(ParameterValues.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ParameterValues.literal(new BigDecimal("0.000001"))).isEqualTo("0.000001");
        assertThat(ParameterValues.literal(true)).isEqualTo("TRUE");
        assertThat(ParameterValues.literal(LocalDate.of(2024, 2, 29))).isEqualTo("DATE '2024-02-29'");
        assertThat(ParameterValues.literal("a'b''c")).isEqualTo("'a''b''''c'");
        assertThatThrownBy(() -> ParameterValues.literal(3.5d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a parameter value: java.lang.Double");
    }

    @Test
    void locatesOffsets() {
        assertThat(ParameterSubstitution.locate(Path.of("f.sql"), "ab\ncd", 4)).hasToString("f.sql:2:2");
    }

    @Test
    void doesNotReportUndefinedParametersWhenTheValuesAreUnknown() {
        Problems problems = new Problems();
        ParameterSubstitution substitution = new ParameterSubstitution(new LinkedHashMap<>(), java.util.Set.of(), false, problems,
                variable -> "ProjectReader.read(" + variable + ", Map.of(), Map.of())");

        assertThat(substitution.substitute("SELECT ${x}", 0, Path.of("m.sql"))).isEqualTo("SELECT ${x}");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void readsSecretVarsFromSessionVariablesSoTheirValueIsInNoSql() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  token: ${env:TOKEN}
                  day: ${env:DAY}
                  label: "key-${env:TOKEN}"
                  plain: it's
                  replaced: ${env:TOKEN}
                  code: ${env:CODE}
                  number: 2024
                """, "models/m.sql", "/*--- materialized: table ---*/ SELECT ${token}, ${day}, ${label}, ${plain}, ${replaced}, "
                + "${number}");

        Project project = ProjectReader.read(dir, Map.of("replaced", "given"), Map.of("TOKEN", "t0k'en", "DAY", "2024-01-31",
                "CODE", "20"));

        assertThat(project.models().get(0).sql()).isEqualTo("/*--- materialized: table ---*/ SELECT CAST(getvariable('sluice_secret_token') AS VARCHAR), "
                + "CAST(getvariable('sluice_secret_day') AS DATE), CAST(getvariable('sluice_secret_label') AS VARCHAR), "
                + "'it''s', 'given', 2024");
        // 2024 holds the secret 20 but is a number: no environment value is one
        assertThat(project.secretVars()).containsExactlyInAnyOrder("token", "day", "label", "code");
        assertThat(Project.secretVariable("token")).isEqualTo("sluice_secret_token");
        assertThat(project.publicVars()).containsEntry("token", "${env:TOKEN}").containsEntry("day", "${env:DAY}")
                .containsEntry("label", "key-${env:TOKEN}").containsEntry("plain", "it's").containsEntry("replaced", "given");
    }

    @Test
    void refusesSecretVarsWhereNoSessionHoldsThem() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { token: '${env:TOKEN}', n: 1 }\n",
                "models/a_view.sql", "/*--- materialized: view ---*/\nSELECT ${token} AS t",
                "models/b_ephemeral.sql", "/*--- materialized: ephemeral ---*/\nSELECT ${token} AS t",
                "models/c_table.sql", "/*---\nmaterialized: table\nwhen: rows(a_view) > ${n} and rows(a_view) < ${token}\n"
                        + "---*/\nSELECT ${token} AS t");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of("TOKEN", "hunter2")));

        assertThat(e.problems()).containsExactly(
                "models/a_view.sql:2:8: Cannot substitute parameter ${token}: its value comes from the environment (a "
                        + "secret), and view models are read by sessions that do not hold it (their SQL is kept in the "
                        + "warehouse or inlined into views); materialize the model as a table (materialized: table)",
                "models/b_ephemeral.sql:2:8: Cannot substitute parameter ${token}: its value comes from the environment (a "
                        + "secret), and ephemeral models are read by sessions that do not hold it (their SQL is kept in the "
                        + "warehouse or inlined into views); materialize the model as a table (materialized: table)",
                "models/c_table.sql:3:7: Cannot substitute parameter ${token}: its value comes from the environment (a "
                        + "secret), and a when: condition is evaluated by Sluice, outside the engine's sessions; compare "
                        + "with a var that is not a secret");
    }

    @Test
    void substitutesVarsInQualityRulesAndConditions() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { min: -1, label: \"it's\", token: '${env:TOKEN}' }\n",
                "models/a.sql", "SELECT 1 AS x",
                "models/m.sql", """
                        /*---
                        materialized: table
                        when: rows(a) > ${min}
                        quality:
                          - expression: x > ${min}
                          - name: labelled
                            expression: { expression: "${label} <> ''" }
                          - name: secret
                            sql: SELECT * FROM this WHERE ${token} IS NULL
                          - not_null: [x]
                        ---*/
                        SELECT 1 AS x""");

        Model model = ProjectReader.read(dir, Map.of(), Map.of("TOKEN", "hunter2")).model("m").orElseThrow();

        assertThat(model.when()).isEqualTo("rows(a) > (-1)");
        assertThat(model.quality()).extracting(RuleConfig::spec).containsExactly(
                Map.of("expression", "x > (-1)"),
                Map.of("name", "labelled", "expression", Map.of("expression", "'it''s' <> ''")),
                Map.of("name", "secret", "sql", "SELECT * FROM this WHERE CAST(getvariable('sluice_secret_token') AS "
                        + "VARCHAR) IS NULL"),
                Map.of("not_null", java.util.List.of("x")));
    }

    @Test
    void reportsAnUndefinedVarInAQualityRuleAtTheRule() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/m.sql", """
                /*---
                quality:
                  - expression: x > ${missing}
                ---*/
                SELECT 1 AS x""");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("models/m.sql:3:5: Cannot substitute parameter ${missing}: it is "
                + "not defined (defined parameters: none); add it to vars in sluice.yml or pass --var missing=VALUE");
    }

    @Test
    void substitutesVarsInTheRulesOfSources() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars: { min: 5 }
                sources:
                  raw.orders:
                    type: files
                    path: data/*.csv
                    quality:
                      - expression: amount >= ${min}
                      - sql: SELECT * FROM this WHERE amount > ${max}
                """);

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:9:9: Cannot substitute parameter ${max}: it is not "
                + "defined (defined parameters: min); add it to vars in sluice.yml or pass --var max=VALUE");
        assertThat(ProjectReader.read(dir, Map.of("max", "9"), Map.of()).sources().get(0).quality())
                .extracting(RuleConfig::spec)
                .containsExactly(Map.of("expression", "amount >= 5"), Map.of("sql", "SELECT * FROM this WHERE amount > 9"));
    }
}
