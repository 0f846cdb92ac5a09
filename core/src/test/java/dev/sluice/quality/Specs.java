package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.Location;
import dev.sluice.project.RuleConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Rule specs as the YAML reader hands them over (maps in file order), and rules parsed from them. */
final class Specs {
    static final Location LOCATION = new Location(Path.of("models/orders.sql"), 3, 0);
    /** The project knows the models customers and marts.orders. */
    static final UnaryOperator<String> RELATIONS = name -> switch (name) {
        case "customers" -> "\"main\".\"customers\"";
        case "marts.orders" -> "\"marts\".\"orders\"";
        default -> null;
    };

    private Specs() {
    }

    /** A map from alternating keys and values, in order; values may be null. */
    static Map<String, Object> spec(Object... keysAndValues) {
        Map<String, Object> spec = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            spec.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return spec;
    }

    static List<Object> list(Object... values) {
        return Arrays.asList(values);
    }

    static RuleParser.Result parse(List<Map<String, Object>> specs) {
        return RuleParser.parse("model orders", specs.stream().map(spec -> new RuleConfig(spec, LOCATION)).toList(),
                RELATIONS, dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);
    }

    /** The rules of valid specs; fails the test when any is invalid. */
    static List<Rule> rules(List<Map<String, Object>> specs) {
        RuleParser.Result result = parse(specs);
        assertThat(result.problems()).isEmpty();
        return result.rules();
    }

    static Rule rule(Map<String, Object> spec) {
        List<Rule> rules = rules(List.of(spec));
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }
}
