package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a pipeline folder (sluice.yml and {@code models/**}{@code /*.sql}) into an immutable {@link Project}.
 * Stateless and thread-safe. Every problem found is reported at once, in one {@link SluiceException} whose
 * {@link SluiceException#problems()} each start with a location such as {@code models/x.sql:4:8}; no message
 * contains a value taken from the environment.
 */
public final class ProjectReader {
    private ProjectReader() {
    }

    /**
     * Reads the project in {@code projectDir}, with {@code ${env:NAME}} taken from the process environment.
     *
     * @param varOverrides {@code --var name=value} pairs, typed like {@link #parseVarValue}; never null
     * @throws SluiceException listing every problem of sluice.yml and the models
     */
    public static Project read(Path projectDir, Map<String, String> varOverrides) {
        return read(projectDir, varOverrides, System.getenv());
    }

    /**
     * As {@link #read(Path, Map)}, with the engine the command line chooses ({@code --engine}, {@code --master}) over
     * sluice.yml's.
     */
    public static Project read(Path projectDir, Map<String, String> varOverrides, EngineChoice engine) {
        return read(projectDir, varOverrides, System.getenv(), engine);
    }

    static Project read(Path projectDir, Map<String, String> varOverrides, Map<String, String> environment) {
        return read(projectDir, varOverrides, environment, EngineChoice.NONE);
    }

    /**
     * The warehouse file sluice.yml names, read from sluice.yml alone (no model is read): what a command needs to find
     * the server holding the project before it reads the whole project. Empty when sluice.yml cannot be read or has
     * a problem; reading the whole project then says which.
     */
    public static Optional<Path> warehouse(Path projectDir) {
        Path root = projectDir.toAbsolutePath().normalize();
        try {
            Problems problems = new Problems();
            YamlNode document = YamlReader.read(Files.readString(root.resolve(ProjectFileParser.FILE),
                    StandardCharsets.UTF_8));
            document = document == null ? null : new EnvironmentResolver(System.getenv(), root, ProjectFileParser.FILE,
                    problems).resolve(document);
            ProjectFileParser.ProjectFile file = new ProjectFileParser(root, problems, EngineChoice.NONE).parse(document);
            return problems.isEmpty() ? Optional.of(file.warehouse()) : Optional.empty();
        } catch (IOException | YamlReader.SyntaxError | SluiceException e) {
            return Optional.empty();
        }
    }

    /**
     * The typed value of a {@code --var} text: Long or BigDecimal for numbers, Boolean for true/false, LocalDate
     * for yyyy-MM-dd, else the String itself.
     *
     * @throws SluiceException for a yyyy-MM-dd text that is no real day
     */
    public static Object parseVarValue(String text) {
        try {
            return ParameterValues.fromText(requireNonNull(text, "text"));
        } catch (ParameterValues.InvalidValue e) {
            throw new SluiceException(ErrorCode.PARAMETER_INVALID, "Cannot read parameter value: %s; fix the value", e.getMessage());
        }
    }

    static Project read(Path projectDir, Map<String, String> varOverrides, Map<String, String> environment,
            EngineChoice engineChoice) {
        requireNonNull(varOverrides, "varOverrides");
        Path root = projectDir.toAbsolutePath().normalize();
        Path projectFile = root.resolve(ProjectFileParser.FILE);
        if (!Files.isRegularFile(projectFile)) {
            String reason = Files.isDirectory(root) ? "it has no sluice.yml" : "the folder does not exist";
            throw new SluiceException(ErrorCode.PROJECT_INVALID,
                    "Cannot read project %s: %s; run `sluice init %s` to create a pipeline there", root, reason, projectDir);
        }
        Problems problems = new Problems();
        String text;
        try {
            text = Files.readString(projectFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot read %s: %s; check that it is readable UTF-8 text",
                    projectFile, e.getMessage());
        }

        ProjectFileParser.ProjectFile file;
        List<Secret> secrets = List.of();
        boolean varsKnown = true;
        try {
            YamlNode document = YamlReader.read(text);
            EnvironmentResolver resolver = new EnvironmentResolver(environment, root, ProjectFileParser.FILE, problems);
            document = document == null ? null : resolver.resolve(document);
            secrets = resolver.secrets();
            file = new ProjectFileParser(root, problems, engineChoice).parse(document);
        } catch (YamlReader.SyntaxError e) {
            problems.add(ErrorCode.PROJECT_INVALID, new Location(ProjectFileParser.FILE, e.line(), e.column()),
                    "Cannot read sluice.yml: invalid YAML: %s; fix the YAML", e.getMessage());
            file = null;
            // without vars every parameter would look undefined: say nothing about them until sluice.yml is fixed
            varsKnown = false;
        }

        Map<String, Object> vars = new LinkedHashMap<>(file == null ? Map.of() : file.vars());
        Set<String> secretVars = secretVars(vars, secrets, varOverrides.keySet());
        Location commandLine = new Location(Path.of("--var"), 0, 0);
        for (Map.Entry<String, String> override : varOverrides.entrySet()) {
            if (!Fields.IDENTIFIER.matcher(override.getKey()).matches()) {
                problems.add(ErrorCode.PARAMETER_INVALID, commandLine, "Cannot read --var %s: '%s' is not a parameter name; "
                        + "use letters, digits and _, not starting with a digit", override.getKey(), override.getKey());
                continue;
            }
            try {
                vars.put(override.getKey(), ParameterValues.fromText(override.getValue(), vars.get(override.getKey())));
            } catch (ParameterValues.InvalidValue e) {
                problems.add(ErrorCode.PARAMETER_INVALID, commandLine, "Cannot read --var %s: %s; fix the value",
                        override.getKey(), e.getMessage());
            }
        }

        Defaults defaults = file == null ? Defaults.standard() : file.defaults();
        List<Path> readableRoots = new java.util.ArrayList<>(List.of(root));
        if (file != null) {
            readableRoots.addAll(file.allowedPaths());
        }
        EngineTraits engine = file == null ? EngineTraits.named(EngineTraits.DEFAULT).orElseThrow() : file.engine();
        ParameterSubstitution substitution = new ParameterSubstitution(vars, secretVars, varsKnown, problems,
                engine::readVariable);
        ModelReader modelReader = new ModelReader(root, readableRoots, defaults, substitution, problems,
                file == null ? S3Settings.NONE : file.s3(), environment);
        List<Model> models = modelReader.withTests(modelReader.readAll());
        // a sink's password is as secret as a source's: hidden wherever the project's secrets are
        List<Secret> allSecrets = new java.util.ArrayList<>(secrets);
        modelReader.secrets().stream().filter(s -> !allSecrets.contains(s)).forEach(allSecrets::add);
        if (file != null) {
            checkWarehouseName(file, models, problems);
        }
        // A source's rules are SQL too: vars are substituted in them as in the models'.
        List<Source> sources = file == null ? List.of() : file.sources().stream().map(source -> new Source(source.schema(),
                source.table(), source.spec(), source.columns(), source.location(),
                source.quality().stream().map(substitution::substituteRule).toList())).toList();
        if (file != null) {
            ScheduleChecks.check(file.schedules(), models, ScheduleChecks.knownVars(file.vars(),
                    substitution.referenced()), problems);
        }
        if (varsKnown) {
            unknownOverrides(varOverrides.keySet(), file.vars().keySet(), substitution.referenced(), commandLine,
                    problems);
        }
        Map<String, String> engineSettings = new LinkedHashMap<>(file == null ? Map.of() : file.engineSettings());
        for (Map.Entry<String, String> setting : engineChoice.settings().entrySet()) {
            String key = setting.getKey().contains(".") ? setting.getKey().substring(0, setting.getKey().indexOf('.'))
                    : setting.getKey();
            if (!engine.settings().contains(key)) {
                problems.add(ErrorCode.USAGE, new Location(Path.of("--" + key), 0, 0), "Cannot use --%s: engine %s has no setting %s; choose an "
                        + "engine that has (--engine spark)", key, engine.name(), key);
            }
            engineSettings.put(setting.getKey(), setting.getValue());
        }
        problems.throwIfAny(file == null || file.name() == null ? "project " + root : "project '" + file.name() + "'");

        Map<String, Object> typedVars = new LinkedHashMap<>();
        // Project.vars cannot hold null; a null var is still substituted as NULL into the models
        vars.forEach((name, value) -> {
            if (value != null) {
                typedVars.put(name, value);
            }
        });
        return new Project(root, file.name(), file.warehouse(), file.catalog(), typedVars, sources, file.defaults(),
                models, allSecrets, secretVars, file.allowedPaths(), file.engine().name(), file.s3(),
                file.schedules().stream().map(ScheduleParser.Parsed::schedule).toList(), engineSettings);
    }

    /**
     * A {@code --var} that sluice.yml does not declare and no SQL reads is a typo or a leftover: it would change
     * nothing, so it is refused with the names it could have meant.
     */
    private static void unknownOverrides(Set<String> overrides, Set<String> declared, Set<String> referenced,
            Location commandLine, Problems problems) {
        Set<String> known = new java.util.TreeSet<>(declared);
        known.addAll(referenced);
        for (String name : overrides) {
            if (known.contains(name) || !Fields.IDENTIFIER.matcher(name).matches()) {
                continue;
            }
            String suggestion = Names.suggest(name, known);
            problems.add(ErrorCode.PARAMETER_INVALID, commandLine, "Cannot read --var %s: no such parameter: sluice.yml"
                    + " declares no var %s and no model reads ${%s} (known parameters: %s)%s", name, name, name,
                    known.isEmpty() ? "none" : String.join(", ", known),
                    suggestion == null ? "; declare it under vars in sluice.yml or drop the --var"
                            : "; did you mean '" + suggestion + "'?");
        }
    }

    /**
     * The vars of sluice.yml whose value holds a value from the environment (and that {@code --var} does not
     * replace): their values never go into SQL text.
     */
    private static Set<String> secretVars(Map<String, Object> vars, List<Secret> secrets, Set<String> overridden) {
        Set<String> secret = new LinkedHashSet<>();
        vars.forEach((name, value) -> {
            // an environment value is a YAML string: a String, or a LocalDate when shaped like one
            boolean text = value instanceof String || value instanceof java.time.LocalDate;
            if (text && !overridden.contains(name)
                    && !Secret.hide(String.valueOf(value), secrets).equals(String.valueOf(value))) {
                secret.add(name);
            }
        });
        return secret;
    }

    /**
     * DuckDB names the warehouse's catalog after its file: with {@code raw.duckdb} and a schema {@code raw},
     * {@code raw.orders} is ambiguous and every query using it fails.
     */
    private static void checkWarehouseName(ProjectFileParser.ProjectFile file, List<Model> models, Problems problems) {
        if (file.warehouse() == null) {
            return;
        }
        String fileName = file.warehouse().getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String catalogName = (dot > 0 ? fileName.substring(0, dot) : fileName).toLowerCase(Locale.ROOT);
        Set<String> schemas = new LinkedHashSet<>();
        for (Source source : file.sources()) {
            schemas.add(source.schema());
        }
        for (Model model : models) {
            schemas.add(model.schema());
        }
        List<String> clashes = new ArrayList<>();
        for (String schema : schemas) {
            if (schema.toLowerCase(Locale.ROOT).equals(catalogName)) {
                clashes.add(schema);
            }
        }
        for (String schema : clashes) {
            problems.add(ErrorCode.PROJECT_INVALID, file.warehouseLocation(), "Cannot use warehouse file %s with schema %s: DuckDB "
                    + "names the database after the file, so %s.<table> would be ambiguous; name the warehouse file differently, "
                    + "such as warehouse: target/%s_warehouse.duckdb", fileName, schema, schema, catalogName);
        }
    }
}
