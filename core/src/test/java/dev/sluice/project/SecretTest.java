package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static final Secret QUOTED = new Secret("TOKEN", "it's \"x\"\\y");

    @Test
    void hidesTheValueInEveryFormItTakesOnItsWayOut() {
        List<Secret> secrets = List.of(QUOTED);

        assertThat(Secret.hide("plain it's \"x\"\\y", secrets)).isEqualTo("plain ${env:TOKEN}");
        assertThat(Secret.hide("CAST('it''s \"x\"\\y' AS INTEGER)", secrets)).isEqualTo("CAST('${env:TOKEN}' AS INTEGER)");
        assertThat(Secret.hide("\"it's \"\"x\"\"\\y\"", secrets)).isEqualTo("\"${env:TOKEN}\"");
        assertThat(Secret.hide("{\"v\":\"it's \\\"x\\\"\\\\y\"}", secrets)).isEqualTo("{\"v\":\"${env:TOKEN}\"}");
        assertThat(Secret.hide("{\"sql\":\"'it''s \\\"x\\\"\\\\y'\"}", secrets)).isEqualTo("{\"sql\":\"'${env:TOKEN}'\"}");
    }

    @Test
    void escapesControlCharactersAsJsonDoes() {
        Secret secret = new Secret("S", "a\nb\rc\td\u0001");

        assertThat(Secret.json(secret.value())).isEqualTo("a\\nb\\rc\\td\\u0001");
        assertThat(Secret.hide("[a\\nb\\rc\\td\\u0001]", List.of(secret))).isEqualTo("[${env:S}]");
    }

    @Test
    void replacesTheLongestSecretFirstAndLeavesNullAndSecretlessTextAlone() {
        List<Secret> secrets = List.of(new Secret("SHORT", "abc"), new Secret("LONG", "abcdef"));

        assertThat(Secret.hide("abcdef abc", secrets)).isEqualTo("${env:LONG} ${env:SHORT}");
        assertThat(Secret.hide(null, secrets)).isNull();
        assertThat(Secret.hide("abc", List.of())).isEqualTo("abc");
        assertThat(QUOTED.placeholder()).isEqualTo("${env:TOKEN}");
    }
}
