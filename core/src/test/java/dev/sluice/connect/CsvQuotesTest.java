package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvQuotesTest {
    @TempDir
    Path dir;

    private static List<List<Long>> bad(String text) {
        return CsvQuotes.scan(text.getBytes(StandardCharsets.UTF_8), (byte) ',', (byte) '"').stream()
                .map(line -> List.of(line[0], line[2])).toList();
    }

    @Test
    void rejectsOnlyTheFirstLineOfARecordThatCannotBeParsed() {
        assertThat(bad("1,\"ok\"\n2,\"a, b\"\n3,\"say \"\"hi\"\"\"\r\n4,\"multi\nline\",x\n5,plain\n")).isEmpty();
        // Unterminated: the lines after it are read again as records of their own.
        assertThat(bad("1,a\n2,\"open\n3,b\n4,c")).containsExactly(List.of(2L, 0L));
        // The quote closes on a later line, followed by text: the record of line 2 fails, lines 3 and 4 are fine.
        assertThat(bad("1,a\n2,\"open\n3,b\n4,\"x\"\n")).containsExactly(List.of(2L, 0L));
        assertThat(bad("1,\"a\"b,c\n2,d\n")).containsExactly(List.of(1L, 1L));
        // A multi-line field moves the line count on.
        assertThat(bad("1,\"a\nb\"\n2,\"c\"d\n")).containsExactly(List.of(3L, 1L));
    }

    @Test
    void guessesTheDelimiterOutsideQuotes() {
        assertThat(CsvQuotes.delimiterOf("a;b;\"c,d,e\"\n1,2".getBytes(StandardCharsets.UTF_8), (byte) '"'))
                .isEqualTo((byte) ';');
        assertThat(CsvQuotes.delimiterOf("a\tb\n".getBytes(StandardCharsets.UTF_8), (byte) '"')).isEqualTo((byte) '\t');
        assertThat(CsvQuotes.delimiterOf("abc\n".getBytes(StandardCharsets.UTF_8), (byte) '"')).isEqualTo((byte) ',');
    }

    @Test
    void copiesFilesWithMalformedLinesBlankedAndDeletesTheCopies() throws Exception {
        Path good = Files.writeString(dir.resolve("good.csv"), "a;b\n1;\"x;y\"\n");
        Path broken = Files.writeString(dir.resolve("broken.csv"), "a,b\n1,\"open\n2,ok\n");
        CsvQuotes.Prepared prepared;
        try (CsvQuotes.Prepared read = CsvQuotes.prepare(List.of(good.toString(), broken.toString()), null, null, dir)) {
            prepared = read;
            assertThat(read.files()).hasSize(2).first().isEqualTo(good.toString());
            Path copy = Path.of(read.files().get(1));
            assertThat(Files.readString(copy)).isEqualTo("a,b\n\n2,ok\n");
            assertThat(read.originals()).containsExactly(java.util.Map.entry(copy.toString(), broken.toString()));
            assertThat(read.original("f")).isEqualTo("CASE f WHEN '" + copy + "' THEN '" + broken + "' ELSE f END");
            assertThat(read.malformed()).containsExactly(new CsvQuotes.Malformed(broken.toString(), 2,
                    "unterminated quote: a quoted field opened on this line never closes", "1,\"open"));
        }
        assertThat(prepared.scratch()).doesNotExist();
        assertThat(CsvQuotes.prepare(List.of(good.toString()), ";", "\"", dir).original("f")).isEqualTo("f");
    }
}
