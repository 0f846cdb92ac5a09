package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded pipeline folder: sluice.yml and every model, immutable.
 *
 * @param root the project folder, absolute
 * @param warehouse the DuckDB warehouse file, absolute
 * @param catalog {@code warehouse} (schema {@code sluice} in the warehouse) or a JDBC URL
 * @param vars parameter values after {@code --var} overrides, typed (Number, Boolean, String, LocalDate)
 * @param models enabled and disabled models, sorted by name
 * @param secrets values that came from {@code ${env:NAME}}: never printed, logged or stored; {@link #redact} hides them
 */
public record Project(
        Path root,
        String name,
        Path warehouse,
        String catalog,
        Map<String, Object> vars,
        List<Source> sources,
        Defaults defaults,
        List<Model> models,
        List<String> secrets) {
    public Project {
        requireNonNull(root, "root");
        requireNonNull(name, "name");
        requireNonNull(warehouse, "warehouse");
        requireNonNull(catalog, "catalog");
        vars = Map.copyOf(vars);
        sources = List.copyOf(sources);
        requireNonNull(defaults, "defaults");
        models = List.copyOf(models);
        secrets = List.copyOf(secrets);
    }

    /** The text with every secret value replaced by {@code ***}. */
    public String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    public Optional<Model> model(String name) {
        return models.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }
}
