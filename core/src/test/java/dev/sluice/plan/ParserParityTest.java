package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Planning parses with Calcite's core parser first and with Babel only when the core parser refuses: this holds only
 * if the core parser reads whatever it accepts exactly as Babel does. Checked on every model of the repository (the
 * examples, every test project) and the query shapes corpus: same tree, same positions of the tables named.
 */
class ParserParityTest {

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> texts = new ArrayList<>();
        for (Path folder : List.of(Path.of("..", "sql", "examples"), Path.of("src", "test", "resources"))) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".sql")).sorted().toList()) {
                    texts.add(Arguments.of(folder.relativize(file).toString(), Files.readString(file)));
                }
            }
        }
        QueryShapesTest.shapes().forEach(shape -> texts.add(Arguments.of("shape " + shape.get()[0], shape.get()[1])));
        QueryShapesTest.refused().forEach(shape -> texts.add(Arguments.of("refused " + shape.get()[0],
                shape.get()[1])));
        return texts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void planningReadsEveryModelAsBabelDoes(String name, String sql) throws SqlParseException {
        SqlNodeList babel;
        try {
            babel = SqlParser.create(sql, CalciteEnvironment.PARSER).parseStmtList();
        } catch (SqlParseException refused) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CalciteEnvironment.parseStatements(sql))
                    .isInstanceOf(SqlParseException.class).hasMessage(refused.getMessage());
            return;
        }
        SqlNodeList read = CalciteEnvironment.parseStatements(sql).statements();
        assertThat(unparse(read)).isEqualTo(unparse(babel));
        assertThat(tables(read)).isEqualTo(tables(babel));
    }

    @Test
    void theCorpusHasModelsReadByEachParser() throws IOException {
        int core = 0;
        int babel = 0;
        for (Arguments text : corpus().toList()) {
            try {
                SqlParser.create((String) text.get()[1], CalciteEnvironment.CORE_PARSER).parseStmtList();
                core++;
            } catch (SqlParseException | RuntimeException refused) {
                babel++;
            }
        }
        assertThat(core).as("models the core parser reads").isGreaterThan(100);
        assertThat(babel).as("models left to Babel").isGreaterThan(5);
    }

    @Test
    void babelReadsModelsWithItsOwnTokensThatTheCoreParserReadsOtherwise() throws SqlParseException {
        // The core parser reads date_part as a plain function, Babel as its DATE_PART: Babel's reading is kept
        String sql = "SELECT date_part('dow', d) AS weekday, x <=> y AS same FROM t";
        assertThat(unparse(CalciteEnvironment.parseStatements(sql).statements()))
                .isEqualTo(unparse(SqlParser.create(sql, CalciteEnvironment.PARSER).parseStmtList()))
                .contains("DATE_PART(");
    }

    @Test
    void babelReadsWhatTheCoreParserRefuses() throws SqlParseException {
        // `value` and `year` are reserved words to the core parser, column names to Babel (and DuckDB); `::` casts too
        String sql = "SELECT value, year, x::BIGINT AS y FROM t";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> SqlParser.create(sql, CalciteEnvironment.CORE_PARSER).parseStmtList())
                .isInstanceOf(SqlParseException.class).hasMessageContaining("Encountered");
        assertThat(unparse(CalciteEnvironment.parseStatements(sql).statements()))
                .isEqualTo(unparse(SqlParser.create(sql, CalciteEnvironment.PARSER).parseStmtList()));
    }

    private static String unparse(SqlNodeList statements) {
        StringBuilder text = new StringBuilder();
        for (SqlNode statement : statements) {
            text.append(statement.toSqlString(CalciteSqlDialect.DEFAULT).getSql()).append(";\n");
        }
        return text.toString();
    }

    private static List<String> tables(SqlNodeList statements) {
        List<String> found = new ArrayList<>();
        for (SqlNode statement : statements) {
            if (statement.getKind().belongsTo(org.apache.calcite.sql.SqlKind.QUERY)) {
                for (SqlIdentifier identifier : TableReferences.of(statement)) {
                    found.add(identifier + "@" + identifier.getParserPosition());
                }
            }
        }
        return found;
    }
}
