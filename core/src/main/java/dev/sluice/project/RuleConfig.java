package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One quality rule as written in a front matter, in sluice.yml or in a {@code tests/*.sql} file: plain YAML values
 * (maps, lists, strings, Long, BigDecimal, Boolean, LocalDate) in file order. The {@code quality} package gives it
 * meaning and reports what is wrong with it.
 *
 * @param location where the rule starts, for messages
 */
public record RuleConfig(Map<String, Object> spec, Location location) {
    public RuleConfig {
        spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
        requireNonNull(location, "location");
    }
}
