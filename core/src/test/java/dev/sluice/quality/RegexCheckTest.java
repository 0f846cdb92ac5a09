package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.engine.duckdb.DuckDbEngine;
import java.util.ArrayList;
import java.util.List;
import dev.sluice.engine.duckdb.DuckDbDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The regex rule's prefiltered condition decides every value exactly as DuckDB's {@code regexp_full_match} does:
 * each pattern below is run both ways over the same values (matching, near misses, NULL, non-ASCII, padding).
 */
class RegexCheckTest {
    private static final List<String> VALUES = List.of("", "SKU-", "SKU-1", "SKU-1234567", "SKU-12345678", "SKU-12a4",
            "SKU-١٢٣", "sku-12", "XSKU-12", "SKU-12 ", " SKU-12", "SKU-\n12", "AB12", "AB", "ab12", "A1", "ABC",
            "12345", "1234", "123456", "1234é", "a@b.com", "ann@example.com", "a_b@example.com", "a_b@example.co", "ann@example,com", "x.y", "x-y",
            "x-y-", "it's", "its", "aaa", "aa", "a", "AB-12-x", "AB-12-", "AB-1x-x", "é", "Ω1", "a_b", "a b",
            "2024-01-31", "2024-1-31", "id=7;", "id=;", "SKU-*", "SKU-[", "ab!", "aa!!", "w_9", "__", "0x1F", "x.",
            "ÀB12", "AB12\n");
    private static DuckDbEngine engine;
    private static Session session;

    @BeforeAll
    static void data() {
        engine = DuckDbEngine.inMemory();
        session = engine.session();
        session.execute("CREATE TABLE v (s VARCHAR)");
        List<String> rows = new ArrayList<>(VALUES.stream().map(Sql::string).toList());
        rows.add("NULL");
        session.execute("INSERT INTO v VALUES (" + String.join("), (", rows) + ")");
    }

    @AfterAll
    static void close() {
        session.close();
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SKU-[0-9]{1,7}", "[A-Z]{2}\\d+", "\\d{5}", "[0-9]{4}-[0-9]{1,2}-[0-9]{2}", "it's",
        "[a-z]+@[a-z]+\\.com", "x\\.y", "x\\-y-?", "[a-z_ ]{3}", "a*", "a{2,}", "\\w+", "[A-Z]{2}-\\d{2}-[a-z]",
        "id=\\d*;", "[.]", "x[.]?", "SKU-\\*", "a!*", "a+!", "ab!", "a+?", "a{,2}", "a{x}", "a{1", "a{0}b",
        "(ab)+", "a|b", "ab|cd", "x.", ".*", "^ab$", "[^a]", "[a-]", "[]a]", "\\s+", "(?i)ab", "\\.", "é+",
        "[\\d.]+", "[\\w]{2}", "[0-9]{65}", "[a-z_]+@example\\.com", "ab+[0-9]", "[\\.]", "[_-a]", "[ ,:@a]+", "[0-a]", "[a-~]",
        "a{1,x}"})
    void decidesEveryValueAsTheRegexDoes(String pattern) {
        String check = RegexCheck.failing("s", pattern, DuckDbDialect.INSTANCE);
        List<List<Object>> rows = session.query("SELECT s, coalesce(" + check + ", FALSE), coalesce(NOT "
                + "regexp_full_match(s, " + Sql.literal(pattern) + "), FALSE) FROM v").values();
        for (List<Object> row : rows) {
            assertThat(row.get(1)).as("pattern %s on %s (%s)", pattern, row.get(0), check).isEqualTo(row.get(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SKU-[0-9]{1,7}", "[A-Z]{2}\\d+", "\\d{5}", "it's", "[a-z_]+@example\\.com"})
    void simplePatternsNeverRunTheRegex(String pattern) {
        assertThat(RegexCheck.failing("s", pattern, DuckDbDialect.INSTANCE)).doesNotContain("regexp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(ab)+", "a|b", ".*", "a{2,}b+", "\\s+", "a++", "a{2,1}", "[z-a]", "[a-Z]", "[", "a\\",
        "\\1", "\\d{99999}", "a{2}{3}", "a{1,2,3}", "a{12345}", "[a\\]", "a{-1}", "a{}"})
    void otherPatternsKeepTheRegex(String pattern) {
        assertThat(RegexCheck.failing("s", pattern, DuckDbDialect.INSTANCE)).contains("regexp_full_match");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SKU-.*:SKU-", "ab+c+:a", "a|b:", "(ab)+:", "x\\d.:x", "id.?:id", "ab{2}.:a", ".ab:",
        "x-y.*:x-y", "abc:abc", "?x:"})
    void theRegexRunsBehindTheLiteralPrefixEveryMatchStartsWith(String patternAndPrefix) {
        String pattern = patternAndPrefix.substring(0, patternAndPrefix.lastIndexOf(':'));
        String prefix = patternAndPrefix.substring(patternAndPrefix.lastIndexOf(':') + 1);
        assertThat(RegexCheck.literalPrefix(pattern)).isEqualTo(prefix);
        String check = RegexCheck.failing("s", pattern, DuckDbDialect.INSTANCE);
        if (!prefix.isEmpty() && check.contains("regexp")) {
            assertThat(check).startsWith("NOT (starts_with(s, " + Sql.string(prefix) + ") AND regexp_full_match(");
        }
    }
}
