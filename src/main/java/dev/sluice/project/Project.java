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
 * @param allowedPaths the external folders of {@code allowed_paths:} that sources and model SQL may read besides the
 *     project folder, absolute
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
        List<String> secrets,
        List<Path> allowedPaths) {
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
        allowedPaths = List.copyOf(allowedPaths);
    }

    /** The folders whose files Sluice and the project's SQL may read and write: the project folder, then allowedPaths. */
    public List<Path> readableRoots() {
        List<Path> roots = new java.util.ArrayList<>();
        roots.add(root);
        roots.addAll(allowedPaths);
        return List.copyOf(roots);
    }

    /** True when {@code path} lies inside the project folder or one of its allowed paths ({@link ProjectPaths#isInside}). */
    public boolean allows(Path path) {
        return ProjectPaths.isInside(path, readableRoots());
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
