package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded pipeline folder: sluice.yml and every model, immutable.
 *
 * @param root the project folder, absolute
 * @param warehouse the DuckDB warehouse file, absolute
 * @param catalog where the catalog is: in the warehouse (schema {@code sluice}) or in PostgreSQL
 * @param vars parameter values after {@code --var} overrides, typed (Number, Boolean, String, LocalDate)
 * @param models enabled and disabled models, sorted by name
 * @param secrets values that came from {@code ${env:NAME}}: never printed, logged or stored; {@link #redact} hides them
 * @param secretVars the vars whose value holds a secret: models read them from session variables
 *     ({@link #secretVariable}), so their value is never part of any SQL text
 * @param allowedPaths the external folders of {@code allowed_paths:} that sources and model SQL may read besides the
 *     project folder, absolute
 * @param engine the name of the engine that runs the project ({@code engine:}, {@value EngineTraits#DEFAULT} unless
 *     set): a known one, checked when sluice.yml was read
 * @param s3 the object storage settings of {@code s3:} and the buckets the project may use ({@link S3Settings#NONE})
 * @param schedules the schedules of {@code schedules:}, in file order, checked against the models
 * @param engineSettings the engine's own settings of {@code engine: {type: …, …}} ({@code master},
 *     {@code conf.<key>}), checked against the engine's {@link EngineTraits#settings()}; empty for {@code engine: name}
 */
public record Project(
        Path root,
        String name,
        Path warehouse,
        CatalogSpec catalog,
        Map<String, Object> vars,
        List<Source> sources,
        Defaults defaults,
        List<Model> models,
        List<Secret> secrets,
        Set<String> secretVars,
        List<Path> allowedPaths,
        String engine,
        S3Settings s3,
        List<ScheduleSpec> schedules,
        Map<String, String> engineSettings) {
    public Project {
        schedules = List.copyOf(schedules);
        engineSettings = Map.copyOf(engineSettings);
        requireNonNull(root, "root");
        requireNonNull(name, "name");
        requireNonNull(warehouse, "warehouse");
        requireNonNull(catalog, "catalog");
        vars = Map.copyOf(vars);
        sources = List.copyOf(sources);
        requireNonNull(defaults, "defaults");
        models = List.copyOf(models);
        secrets = List.copyOf(secrets);
        secretVars = Set.copyOf(secretVars);
        allowedPaths = List.copyOf(allowedPaths);
        requireNonNull(engine, "engine");
        requireNonNull(s3, "s3");
    }

    /** A project whose engine has no settings of its own. */
    public Project(Path root, String name, Path warehouse, CatalogSpec catalog, Map<String, Object> vars,
            List<Source> sources, Defaults defaults, List<Model> models, List<Secret> secrets, Set<String> secretVars,
            List<Path> allowedPaths, String engine, S3Settings s3, List<ScheduleSpec> schedules) {
        this(root, name, warehouse, catalog, vars, sources, defaults, models, secrets, secretVars, allowedPaths,
                engine, s3, schedules, Map.of());
    }

    /** A project without schedules. */
    public Project(Path root, String name, Path warehouse, CatalogSpec catalog, Map<String, Object> vars,
            List<Source> sources, Defaults defaults, List<Model> models, List<Secret> secrets, Set<String> secretVars,
            List<Path> allowedPaths, String engine, S3Settings s3) {
        this(root, name, warehouse, catalog, vars, sources, defaults, models, secrets, secretVars, allowedPaths,
                engine, s3, List.of());
    }

    /** A project without object storage. */
    public Project(Path root, String name, Path warehouse, CatalogSpec catalog, Map<String, Object> vars,
            List<Source> sources, Defaults defaults, List<Model> models, List<Secret> secrets, Set<String> secretVars,
            List<Path> allowedPaths, String engine) {
        this(root, name, warehouse, catalog, vars, sources, defaults, models, secrets, secretVars, allowedPaths,
                engine, S3Settings.NONE);
    }

    /** A project run by the default engine ({@value EngineTraits#DEFAULT}). */
    public Project(Path root, String name, Path warehouse, CatalogSpec catalog, Map<String, Object> vars,
            List<Source> sources, Defaults defaults, List<Model> models, List<Secret> secrets, Set<String> secretVars,
            List<Path> allowedPaths) {
        this(root, name, warehouse, catalog, vars, sources, defaults, models, secrets, secretVars, allowedPaths,
                EngineTraits.DEFAULT);
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

    /** The engine session variable a secret var is read from in SQL; every session building models sets it. */
    public static String secretVariable(String var) {
        return "sluice_secret_" + var;
    }

    /**
     * The text with every secret replaced by its {@code ${env:NAME}} placeholder, in any of the forms it takes in
     * SQL, JSON or messages (see {@link Secret}); null stays null.
     */
    public String redact(String text) {
        return Secret.hide(text, secrets);
    }

    /** The vars as they may be written (run lineage, OpenLineage): a secret var shows its placeholder. */
    public Map<String, Object> publicVars() {
        Map<String, Object> visible = new LinkedHashMap<>(vars);
        for (String var : secretVars) {
            visible.computeIfPresent(var, (name, value) -> redact(String.valueOf(value)));
        }
        return visible;
    }

    public Optional<Model> model(String name) {
        return models.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }
}
