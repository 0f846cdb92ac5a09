package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final String HINT = "; write e.g. quality(stg_orders).fail_fraction < 0.05 and rows(stg_orders) > 0";
    /** stg passed with 3 of 100 rows failing and 2 warnings; bad failed on an empty table; _raw passed. */
    private static final Map<String, Condition.ModelQuality> QUALITY = Map.of(
            "stg", new Condition.ModelQuality(100, 3, 0.03, true, 2),
            "bad", new Condition.ModelQuality(0, 0, 0.0, false, 1),
            "_raw", new Condition.ModelQuality(7, 0, 0.0, true, 0));
    private static final Condition.Facts FACTS = model -> Optional.ofNullable(QUALITY.get(model));

    private static boolean holds(String text) {
        return Condition.parse(text).evaluate(FACTS).holds();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "rows(stg) < 101 | true", "rows(stg) < 100 | false",
        "rows(stg) <= 100 | true", "rows(stg) <= 99 | false",
        "rows(stg) > 99 | true", "rows(stg) > 100 | false",
        "rows(stg) >= 100 | true", "rows(stg) >= 101 | false",
        "rows(stg) = 100 | true", "rows(stg) = 100.5 | false",
        "rows(stg) != 99 | true", "rows(stg) != 100 | false",
        "rows(stg) <> 99 | true", "rows(stg) <> 100 | false",
        "1e2 = rows(stg) | true", "-1.5 < 0 | true", "2.5E-1 = 0.25 | true", "3 = 3.0 | true"})
    void comparesNumbers(String text, boolean expected) {
        assertThat(holds(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "quality(stg).passed | true", "quality(bad).passed | false",
        "quality(stg).failed | false", "quality(bad).failed | true",
        "quality(stg).fail_fraction = 0.03 | true", "quality(stg).failed_rows = 3 | true",
        "quality(stg).rows = 100 | true", "quality(stg).warnings = 2 | true",
        "QUALITY(stg).Passed | true", "rows(_raw) = 7 | true"})
    void readsEachField(String text, boolean expected) {
        assertThat(holds(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "true | true", "false | false", "TRUE | true",
        "true and false | false", "true and true | true",
        "false or false | false", "false or true | true",
        "not true | false", "not not true | true", "NOT false AND True | true",
        "true or false and false | true", "(true or false) and false | false",
        "not (true and false) | true", "not true or true | true",
        "((rows(stg) > 0)) | true",
        "quality(stg).passed and rows(stg) > 0 or quality(bad).passed | true",
        "quality(bad).passed or not quality(stg).passed | false"})
    void combinesWithAndOrNotAndParentheses(String text, boolean expected) {
        assertThat(holds(text)).isEqualTo(expected);
    }

    @Test
    void explainsWhatItReadAndKnowsTheModels() {
        Condition condition = Condition.parse("quality(stg).fail_fraction < 0.05 and rows(stg) > 0 "
                + "and not quality(bad).passed");
        assertThat(condition.evaluate(FACTS)).isEqualTo(new Condition.Evaluation(true, condition + " is true "
                + "(quality(stg).fail_fraction = 0.03, rows(stg) = 100, quality(bad).passed = false)"));
        assertThat(condition.models()).containsExactlyInAnyOrder("stg", "bad");
        assertThat(condition.toString()).isEqualTo("quality(stg).fail_fraction < 0.05 and rows(stg) > 0 "
                + "and not quality(bad).passed");
        assertThat(Condition.parse("false").evaluate(FACTS)).isEqualTo(new Condition.Evaluation(false,
                "false is false ()"));
    }

    @Test
    void readsEveryModelItNamesEvenWhenOneSideDecides() {
        // A model that did not run is an error, whatever the other side says: the condition reads it.
        assertThatThrownBy(() -> Condition.parse("quality(stg).passed or rows(skipped) > 0").evaluate(FACTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("condition reads rows(skipped), but model skipped has no result in this run");
        assertThatThrownBy(() -> Condition.parse("quality(skipped).warnings = 0").evaluate(model -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("condition reads quality(skipped).warnings, but model skipped has no result in this run");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rows(stg) | condition 'rows(stg)' is a number, not true or false; compare it, e.g. rows(stg) > 0",
        "rows(stg) and true | expected true or false, found the number 100.0",
        "true or quality(stg).warnings | expected true or false, found the number 2.0",
        "not 1 | expected true or false, found the number 1.0",
        "true > 1 | expected a number, found true",
        "0 < quality(stg).passed | expected a number, found true"})
    void refusesToMixNumbersAndTruthValues(String text, String message) {
        Condition condition = Condition.parse(text);
        assertThatThrownBy(() -> condition.evaluate(FACTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{index}: '{0}'")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "rows(stg) > # | 13: unexpected '#'",
        "\"rows(stg) >   $\" | 15: unexpected '$'",
        "rows(stg) = 'a' | 13: unexpected '''",
        "\"\" | 1: it ends too early",
        "\"   \" | 4: it ends too early",
        "rows(stg) > | 12: it ends too early",
        "rows(stg) > 0 ) | 15: unexpected ')'",
        "true true | 6: unexpected 'true'",
        "rows stg | 6: expected '('",
        "rows(stg | 9: expected ')'",
        "(true | 6: expected ')'",
        "(true or false | 15: expected ')'",
        "quality(stg) > 0 | 14: expected '.'",
        "quality(stg).size > 1 | 14: unknown field 'size'; use one of passed, failed, fail_fraction, failed_rows, "
                + "rows, warnings",
        "quality(stg). | 14: it ends too early",
        "size(stg) > 1 | 1: unknown name 'size'; use quality(model).<field>, rows(model), numbers, true, false",
        "rows(stg) > and | 13: unknown name 'and'; use quality(model).<field>, rows(model), numbers, true, false",
        "rows(1) > 0 | 6: expected a model name",
        "rows(() > 0 | 6: expected a model name",
        "not | 4: it ends too early",
        "true and | 9: it ends too early"})
    void parseErrorsSayWhereAndWhat(String text, String message) {
        String at = message.substring(0, message.indexOf(':'));
        String what = message.substring(message.indexOf(':') + 2);
        String expected = "cannot read condition '" + text + "' at character " + at + ": " + what + HINT;
        assertThatThrownBy(() -> Condition.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }
}
