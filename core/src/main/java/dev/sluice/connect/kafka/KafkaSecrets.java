package dev.sluice.connect.kafka;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Consumer settings that hold credentials (passwords, JAAS configurations, keys, tokens, secrets) must come from
 * the environment ({@code ${env:NAME}}), which the project remembers as secrets and hides wherever it writes.
 */
final class KafkaSecrets {
    private static final List<String> SENSITIVE = List.of("password", "jaas", "secret", "token", "key");

    private KafkaSecrets() {
    }

    /** True when a consumer setting of this name holds a credential. */
    static boolean sensitive(String property) {
        String name = property.toLowerCase(Locale.ROOT);
        // key.deserializer and friends are reserved; ssl.key.password, sasl.oauthbearer...secret are credentials
        return SENSITIVE.stream().anyMatch(name::contains) && !name.endsWith(".type") && !name.endsWith(".location")
                && !name.endsWith(".algorithm");
    }

    /**
     * The first sensitive setting whose value was written in sluice.yml rather than taken from the environment
     * ({@code redact} leaves it unchanged), or null when there is none.
     */
    static String plainSecret(KafkaSpec spec, UnaryOperator<String> redact) {
        return spec.properties().entrySet().stream()
                .filter(entry -> sensitive(entry.getKey()) && !entry.getValue().isEmpty()
                        && redact.apply(entry.getValue()).equals(entry.getValue()))
                .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
    }
}
