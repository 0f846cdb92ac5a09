package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.QueryResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResultFormatTest {
    private static final String NL = System.lineSeparator();
    private final QueryResult result = new QueryResult(List.of("id", "name"),
            List.of(Arrays.asList(1L, "a,\"b\""), Arrays.asList(22L, null)));

    @Test
    void printsAlignedTextCsvAndJson() {
        assertThat(ResultFormat.text.render(result)).isEqualTo("id | name " + NL + "---+------" + NL
                + "1  | a,\"b\"" + NL + "22 | NULL " + NL + "(2 rows)" + NL);
        assertThat(ResultFormat.csv.render(result)).isEqualTo("id,name" + NL + "1,\"a,\"\"b\"\"\"" + NL + "22," + NL);
        assertThat(ResultFormat.json.render(new QueryResult(List.of("d", "n"), List.of(
                Arrays.asList(LocalDate.of(2024, 1, 2), 1L), Arrays.asList(null, 2L)))))
                .isEqualTo("[ {" + NL + "  \"d\" : \"2024-01-02\"," + NL + "  \"n\" : 1" + NL + "}, {" + NL
                        + "  \"d\" : null," + NL + "  \"n\" : 2" + NL + "} ]" + NL);
        assertThat(ResultFormat.json.render(new QueryResult(List.of("d"), List.of()))).isEqualTo("[ ]" + NL);
    }

    @Test
    void textAlignsOnTheFirstRowsAndPrintsTheRestAsTheyCome() {
        int total = ResultFormat.ALIGNED_ROWS + 5;
        List<List<Object>> rows = new ArrayList<>();
        IntStream.range(0, total).forEach(i -> rows.add(List.of(i == total - 1 ? "wider than the rest" : "x")));
        Iterator<List<Object>> source = rows.iterator();
        int[] pulled = {0};
        Iterator<List<Object>> counting = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public List<Object> next() {
                pulled[0]++;
                return source.next();
            }
        };
        StringWriter text = new StringWriter();
        ResultFormat.text.write(List.of("v"), counting, new PrintWriter(text));

        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("v");
        assertThat(lines.get(1)).isEqualTo("-");
        assertThat(lines.get(lines.size() - 2)).isEqualTo("wider than the rest");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("(" + total + " rows)");
        assertThat(pulled[0]).isEqualTo(total);
    }
}
