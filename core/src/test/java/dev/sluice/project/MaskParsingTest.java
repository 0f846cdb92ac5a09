package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskParsingTest {
    @TempDir
    Path dir;

    @Test
    void readsMasksOnSourceColumnsAndModelColumnsWithUnmaskedReasons() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                sources:
                  raw.customers:
                    type: synthetic
                    rows: 3
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      phone: { type: VARCHAR, generator: text, mask: partial, pii: true }
                    mask: { email: HASH, phone: redact }
                    pii: [email]
                """, "models/m.sql", """
                /*---
                columns:
                  id: { unmasked: "keys are not personal" }
                  note: { mask: "null" }
                ---*/
                SELECT id, 'x' AS note FROM raw.customers
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        Map<String, ColumnMeta> source = project.sources().get(0).columns();
        assertThat(source.get("email")).isEqualTo(new ColumnMeta("", true, Mask.HASH, null));
        // the source-level mask: mapping is read last and wins over the column's own
        assertThat(source.get("phone").mask()).isEqualTo(Mask.REDACT);
        assertThat(project.models().get(0).columns().get("id").unmasked()).isEqualTo("keys are not personal");
        assertThat(ColumnMasks.declared(project).byRelation()).isEqualTo(Map.of(
                "raw.customers", Map.of("email", Mask.HASH, "phone", Mask.REDACT),
                "main.m", Map.of("note", Mask.NULL)));
    }

    @Test
    void reportsABadMaskAnUnmaskedWithoutReasonAndBothAtTheirLines() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                sources:
                  raw.customers:
                    type: synthetic
                    rows: 3
                    columns:
                      id: { type: BIGINT, generator: sequence }
                    mask: { id: scramble }
                  raw.other:
                    type: synthetic
                    rows: 3
                    columns:
                      id: { type: BIGINT, generator: sequence }
                    mask: [id]
                """, "models/m.sql", """
                /*---
                columns:
                  id: { unmasked: "" }
                  other: { mask: hash, unmasked: "why not" }
                ---*/
                SELECT id, id AS other FROM raw.customers
                """);

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "sluice.yml:8:17: Cannot read source raw.customers column id mask: 'scramble' is not a mask; use one "
                        + "of hash, redact, null, partial",
                "sluice.yml:14:11: Cannot read source raw.other mask (a mapping of column: hash | redact | null | "
                        + "partial): expected a map of keys, found a list",
                "models/m.sql:3:19: Cannot read front matter column id unmasked: it needs the reason the column may "
                        + "be shown in clear, such as unmasked: \"counts only, no personal data\"",
                "models/m.sql:4:34: Cannot read front matter column other: it is declared both mask: hash and "
                        + "unmasked; keep one of them");
    }

    @Test
    void theStrongestMaskWinsAndEachMaskRendersItsContract() {
        assertThat(Mask.strongest(Mask.PARTIAL, Mask.HASH)).isEqualTo(Mask.HASH);
        assertThat(Mask.strongest(Mask.NULL, Mask.REDACT)).isEqualTo(Mask.NULL);
        assertThat(Mask.strongest(null, Mask.PARTIAL)).isEqualTo(Mask.PARTIAL);
        assertThat(Mask.strongest(Mask.PARTIAL, null)).isEqualTo(Mask.PARTIAL);
        assertThat(Mask.of("nope")).isNull();
        assertThat(Mask.HASH.apply("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Mask.REDACT.apply(42)).isEqualTo("****");
        assertThat(Mask.NULL.apply("x")).isNull();
        assertThat(Mask.PARTIAL.apply("4111111111111111")).isEqualTo("************1111");
        assertThat(Mask.PARTIAL.apply("abcd")).isEqualTo("****");
        assertThat(Mask.HASH.apply(null)).isNull();
        ColumnMasks a = new ColumnMasks(Map.of("Main.T", Map.of("Email", Mask.PARTIAL)));
        ColumnMasks b = new ColumnMasks(Map.of("main.t", Map.of("email", Mask.HASH), "raw.s", Map.of()));
        assertThat(a.with(b).of("MAIN.t", "EMAIL")).isEqualTo(Mask.HASH);
        assertThat(a.with(b).of("raw.s")).isEmpty();
        assertThat(ColumnMasks.NONE.isEmpty()).isTrue();
    }
}
