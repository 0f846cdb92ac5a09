package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GLOB patterns as Java regular expressions match exactly what DuckDB's GLOB matches (whole text, case-sensitive). */
class SparkGlobsTest {
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "SKU-*[!0-9]* | SKU-12x3 | true",
        "SKU-*[!0-9]* | SKU-123 | false",
        "[A-Z][A-Z]* | AB12 | true",
        "[A-Z][A-Z]* | aB12 | false",
        "a?c | abc | true",
        "a?c | abbc | false",
        "a*c | axyc | true",
        "x.y | x.y | true",
        "x.y | xzy | false",
        "[]a]b | ]b | true",
        "[!]a]b | ]b | false",
        "[!]a]b | cb | true",
        "[a-c^&]z | ^z | true",
        "a[b | a[b | true",
        "a\\b$ | a\\b$ | true",
        "(a)+ | (a)+ | true",
        "(a)+ | aa | false",
        "[ab | [ab | true"})
    void matchesAsGlob(String glob, String text, boolean matches) {
        assertThat(Pattern.compile(SparkGlobs.regex(glob)).matcher(text).find()).isEqualTo(matches);
    }
}
