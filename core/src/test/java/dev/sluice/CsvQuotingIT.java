package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV sources read RFC 4180 quoting by default: a quoted delimiter stays in its field, and only a line whose quoting
 * is malformed is rejected (with file, line and reason), never the lines after it.
 */
class CsvQuotingIT {
    private static final String LINES = "1,5,\"ok\"\n2,6,\"a, b\"\n3,7,\"unterminated\n4,8,plain\n";
    private static final List<List<Object>> LOADED = List.of(List.of(1L, 5L, "ok"), List.of(2L, 6L, "a, b"),
            List.of(4L, 8L, "plain"));

    @TempDir
    Path dir;

    @Test
    void onlyTheMalformedLineIsRejectedWithAndWithoutPinnedOptionsAndColumns() {
        Path project = dir.resolve("quotes");
        String columns = "{ id: BIGINT, n: BIGINT, s: VARCHAR }";
        ProjectFixture.at(project).write("sluice.yml", """
                name: quotes
                warehouse: target/quotes.duckdb
                sources:
                  raw.sniffed:
                    type: files
                    path: data/sniffed/*.csv
                    max_rejected_fraction: 0.5
                  raw.declared:
                    type: files
                    path: data/declared/*.csv
                    columns: %1$s
                    max_rejected_fraction: 0.5
                  raw.pinned:
                    type: files
                    path: data/pinned/*.csv
                    header: false
                    delimiter: ","
                    quote: '"'
                    columns: %1$s
                    max_rejected_fraction: 0.5
                  raw.pinned_sniffed:
                    type: files
                    path: data/pinned_sniffed/*.csv
                    header: true
                    delimiter: ","
                    quote: '"'
                    max_rejected_fraction: 0.5
                  raw.pinned_header:
                    type: files
                    path: data/pinned_header/*.csv
                    quote: "\\""
                    delimiter: ","
                    header: true
                    columns: %1$s
                    max_rejected_fraction: 0.5
                  raw.pinned_tracked:
                    type: files
                    path: data/pinned_tracked/*.csv
                    quote: "\\""
                    delimiter: ","
                    header: true
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                  raw.pinned_tracked_declared:
                    type: files
                    path: data/pinned_tracked_declared/*.csv
                    quote: "\\""
                    delimiter: ","
                    header: true
                    columns: %1$s
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                  raw.pinned_crlf:
                    type: files
                    path: data/pinned_crlf/*.csv
                    quote: "\\""
                    delimiter: ","
                    header: true
                    max_rejected_fraction: 0.5
                  raw.pinned_crlf_declared:
                    type: files
                    path: data/pinned_crlf_declared/*.csv
                    quote: "\\""
                    delimiter: ","
                    header: true
                    columns: %1$s
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                  raw.tracked:
                    type: files
                    path: data/tracked/*.csv
                    columns: %1$s
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                  raw.tracked_sniffed:
                    type: files
                    path: data/tracked_sniffed/*.csv
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                """.formatted(columns));
        List<String> sources = List.of("sniffed", "declared", "pinned", "pinned_sniffed", "pinned_header",
                "pinned_tracked", "pinned_tracked_declared", "pinned_crlf", "pinned_crlf_declared", "tracked",
                "tracked_sniffed");
        for (String source : sources) {
            // Every file has a header line but the one read with header: false.
            String text = (source.equals("pinned") ? "" : "id,n,s\n") + LINES;
            // Files written on Windows end their lines with CRLF; the blanked copy must keep them so.
            ProjectFixture.at(project).write("data/" + source + "/f.csv", source.contains("crlf")
                    ? text.replace("\n", "\r\n") : text);
            ProjectFixture.at(project).write("models/read_" + source + ".sql", "SELECT * FROM raw." + source);
        }
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.sources()).allSatisfy(source -> {
            assertThat(source.loaded()).as(source.source() + ": " + source.error()).isTrue();
            assertThat(source.rows()).as(source.source()).isEqualTo(3);
            assertThat(source.rejected()).as(source.source()).isEqualTo(1);
        });
        for (String source : sources) {
            assertThat(sluice.query("SELECT id, n, s FROM raw." + source + " ORDER BY id").rows()).as(source)
                    .isEqualTo(LOADED);
            long line = source.equals("pinned") ? 3 : 4;
            assertThat(sluice.query("SELECT file, line, error_type, error_message, csv_line FROM sluice.rejects WHERE "
                    + "source = 'raw." + source + "'").rows()).as(source).containsExactly(List.of("data/" + source
                            + "/f.csv", line, "UNQUOTED VALUE", "unterminated quote: a quoted field opened on this line "
                            + "never closes", "3,7,\"unterminated"));
        }
    }

    @Test
    void duckDbReaderOptionsPassThrough() {
        Path project = ProjectFixture.copyTo("csv_reader_options", dir.resolve("reader")).root();
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        java.util.List<Object> missing = new java.util.ArrayList<>();
        missing.add(2L);
        missing.add(null);
        assertThat(sluice.query("SELECT id, s FROM raw.padded ORDER BY id").rows()).containsExactly(
                List.of(1L, "ok"), missing);
        assertThat(sluice.query("SELECT id, n FROM raw.lenient ORDER BY id").rows()).containsExactly(
                List.of(1L, 5L), List.of(3L, 7L));
        // Lines DuckDB skips are still rejected lines: recorded, and counted against max_rejected_fraction.
        assertThat(sluice.query("SELECT line FROM sluice.rejects WHERE source = 'raw.lenient'").rows())
                .containsExactly(List.of(3L));
    }
}
