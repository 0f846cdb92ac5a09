package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads sluice.yml (already resolved of {@code ${env:...}}) into a {@link ProjectFile}. */
final class ProjectFileParser {
    static final Path FILE = Path.of("sluice.yml");
    static final List<String> KEYS = List.of("name", "warehouse", "catalog", "vars", "sources", "defaults",
            "allowed_paths", "engine", "s3", "schedules");
    static final List<String> CATALOG_KEYS = List.of("type", "url", "user", "password", "schema", "path");
    static final List<String> DEFAULTS_KEYS = List.of("materialized", "schema", "threads", "memory_limit",
            "target_file_size");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]i?B|B)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?\\s*([KMGT]i?B|B)", Pattern.CASE_INSENSITIVE);

    /**
     * What sluice.yml says, with defaults applied. Fields are null where the file was wrong (a problem was reported).
     *
     * @param vars parameter values from {@code vars:}; a value may be null (YAML null, rendered as SQL NULL)
     * @param warehouseLocation where the warehouse is set, or the name when it is the default, for messages
     * @param engine the engine of {@code engine:} ({@value EngineTraits#DEFAULT} when absent); the default engine
     *     where the name is unknown (a problem was reported)
     */
    record ProjectFile(
            String name,
            Path warehouse,
            Location warehouseLocation,
            CatalogSpec catalog,
            Map<String, Object> vars,
            List<Source> sources,
            Defaults defaults,
            List<Path> allowedPaths,
            EngineTraits engine,
            S3Settings s3,
            List<ScheduleParser.Parsed> schedules,
            Map<String, String> engineSettings) {
        ProjectFile {
            engineSettings = Map.copyOf(engineSettings);
            schedules = List.copyOf(schedules);
            vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
            sources = List.copyOf(sources);
            allowedPaths = List.copyOf(allowedPaths);
        }
    }

    private final Path root;
    private final Fields fields;
    private final EngineChoice choice;

    ProjectFileParser(Path root, Problems problems) {
        this(root, problems, EngineChoice.NONE);
    }

    /** A parser whose engine is {@code choice}'s where it names one (the command line's {@code --engine}). */
    ProjectFileParser(Path root, Problems problems, EngineChoice choice) {
        this.root = root;
        this.fields = new Fields(FILE, problems, ErrorCode.PROJECT_INVALID);
        this.choice = choice;
    }

    ProjectFile parse(YamlNode document) {
        Location top = new Location(FILE, 1, 1);
        YamlNode.Mapping mapping = document == null ? null : fields.mapping(document, "sluice.yml");
        if (mapping == null) {
            if (document == null) {
                fields.problem(top, "Cannot read sluice.yml: it is empty; set at least name: <project name>");
            }
            return new ProjectFile(null, null, top, CatalogSpec.WAREHOUSE, Map.of(), List.of(), Defaults.standard(),
                    List.of(), defaultEngine(), S3Settings.NONE, List.of(), Map.of());
        }
        fields.checkKeys(mapping, "sluice.yml", KEYS);
        String name = name(mapping, top);
        Location warehouseLocation = mapping.entries().containsKey("warehouse") ? fields.at(mapping.entries().get("warehouse"))
                : mapping.entries().containsKey("name") ? fields.at(mapping.entries().get("name")) : top;
        Path warehouse = warehouse(mapping.get("warehouse"), name);
        CatalogSpec catalog = catalog(mapping.get("catalog"), name);
        Map<String, Object> vars = vars(mapping.get("vars"));
        List<Path> allowedPaths = allowedPaths(mapping.get("allowed_paths"));
        S3Settings s3 = s3(mapping.get("s3"), allowedPaths);
        List<Source> sources = mapping.get("sources") == null ? List.of()
                : new SourceParser(root, allowedPaths, fields.withCode(ErrorCode.SOURCE_INVALID), s3)
                        .parse(mapping.get("sources"));
        Defaults defaults = defaults(mapping.get("defaults"));
        Map<String, String> engineSettings = new java.util.TreeMap<>();
        EngineTraits engine = engine(mapping.get("engine"), engineSettings);
        if (mapping.get("catalog") == null && !engine.keepsCatalog() && warehouse != null) {
            // Spark's warehouse has no transactions across statements for the catalog: a DuckDB file beside it
            catalog = CatalogSpec.besideWarehouse(warehouse);
        }
        List<ScheduleParser.Parsed> schedules = new ScheduleParser(fields).parse(mapping.get("schedules"));
        return new ProjectFile(name, warehouse, warehouseLocation, catalog, vars, sources, defaults, allowedPaths,
                engine, s3, schedules, engineSettings);
    }

    /** The project's {@code s3:}: object storage settings and the buckets the project may use. */
    private S3Settings s3(YamlNode node, List<Path> allowedPaths) {
        if (node == null) {
            return S3Settings.NONE;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "s3");
        return mapping == null ? S3Settings.NONE : S3Settings.parse(SourceConfig.settings(
                new SourceParser(root, allowedPaths, fields), fields, mapping, "s3", fields.at(node)), true);
    }

    /**
     * The engine {@code engine:} names, found on the class path by that name (see {@link EngineTraits}): a name, or
     * {@code {type: name, …}} whose other keys are the engine's settings (put into {@code settings}, a mapping's keys
     * as {@code key.subkey}), each checked against {@link EngineTraits#settings()}.
     */
    private EngineTraits engine(YamlNode node, Map<String, String> settings) {
        if (node == null) {
            return choice == null || choice.type() == null ? defaultEngine() : named(choice.type(), null);
        }
        YamlNode.Mapping mapping = node instanceof YamlNode.Mapping map ? map : null;
        String name = mapping == null ? fields.string(node, "engine")
                : mapping.get("type") == null ? EngineTraits.DEFAULT : fields.string(mapping.get("type"), "engine: type");
        if (choice != null && choice.type() != null) {
            name = choice.type();
        }
        if (name == null) {
            return defaultEngine();
        }
        EngineTraits engine = named(name, node);
        if (mapping != null) {
            for (YamlNode.Entry entry : mapping.entries().values()) {
                if (!entry.key().equals("type")) {
                    engineSetting(engine, entry.key(), entry.value(), settings);
                }
            }
        }
        return engine;
    }

    private void engineSetting(EngineTraits engine, String key, YamlNode value, Map<String, String> settings) {
        if (value instanceof YamlNode.Mapping nested && engine.settings().contains(key)) {
            for (YamlNode.Entry entry : nested.entries().values()) {
                if (entry.value() instanceof YamlNode.Scalar scalar) {
                    settings.put(key + "." + entry.key(), scalar.text());
                } else {
                    fields.problem(fields.at(entry), "Cannot read engine: %s: %s: expected a value, found %s; write "
                            + "it as a string", key, entry.key(), entry.value().kind());
                }
            }
            return;
        }
        if (!engine.settings().contains(key)) {
            fields.problem(fields.at(value), "Cannot read engine: unknown key '%s' for engine %s; valid keys are %s",
                    key, engine.name(), String.join(", ", new java.util.TreeSet<>(
                            concat(List.of("type"), engine.settings()))));
            return;
        }
        if (value instanceof YamlNode.Scalar scalar) {
            settings.put(key, scalar.text());
        } else {
            fields.problem(fields.at(value), "Cannot read engine: %s: expected a value, found %s", key, value.kind());
        }
    }

    private static List<String> concat(List<String> first, java.util.Collection<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private EngineTraits named(String name, YamlNode node) {
        java.util.Optional<EngineTraits> engine = EngineTraits.named(name);
        if (engine.isEmpty()) {
            fields.problem(node == null ? new Location(FILE, 1, 1) : fields.at(node), "Cannot read engine: '%s' is not an engine on the class path (known: %s); "
                    + "set engine: to one of them, or leave it out for %s", name,
                    String.join(", ", EngineTraits.known()), EngineTraits.DEFAULT);
            return defaultEngine();
        }
        return engine.get();
    }

    private static EngineTraits defaultEngine() {
        return EngineTraits.named(EngineTraits.DEFAULT).orElseThrow(() -> new IllegalStateException(
                "the default engine " + EngineTraits.DEFAULT + " is not on the class path"));
    }

    private String name(YamlNode.Mapping mapping, Location top) {
        YamlNode node = mapping.get("name");
        if (node == null) {
            fields.problem(top, "Cannot read sluice.yml: name is missing; set name: <project name>");
            return null;
        }
        String name = fields.string(node, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            fields.problem(fields.at(node), "Cannot read name: '%s' is not a project name; use letters, digits, _, - and ., "
                    + "not starting with - or .", name);
            return null;
        }
        return name;
    }

    private Path warehouse(YamlNode node, String name) {
        if (node == null) {
            return name == null ? null : root.resolve("target").resolve(name + ".duckdb").normalize();
        }
        String text = fields.string(node, "warehouse");
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.equals(":memory:")) {
            fields.problem(fields.at(node), "Cannot read warehouse: '%s' is not a file; set warehouse: to a DuckDB file path "
                    + "such as target/%s.duckdb", text, name == null ? "pipeline" : name);
            return null;
        }
        try {
            return root.resolve(text).normalize();
        } catch (InvalidPathException e) {
            fields.problem(fields.at(node), "Cannot read warehouse '%s': %s; fix the path", text, e.getReason());
            return null;
        }
    }

    /**
     * The external folders of {@code allowed_paths:} (a list of folders, relative ones to the project folder): the
     * only places outside the project that sources and model SQL may read.
     */
    private List<Path> allowedPaths(YamlNode node) {
        List<Path> paths = new java.util.ArrayList<>();
        if (node == null) {
            return paths;
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            fields.problem(fields.at(node), "Cannot read allowed_paths: expected a list of folders, found %s; write "
                    + "allowed_paths: [/data/shared]", node.kind());
            return paths;
        }
        for (YamlNode item : sequence.items()) {
            String text = fields.string(item, "allowed_paths entry");
            if (text == null) {
                continue;
            }
            if (text.isBlank() || text.matches(".*[*?\\[{].*")) {
                fields.problem(fields.at(item), "Cannot read allowed_paths entry '%s': expected a folder, without "
                        + "wildcards; write the folder that holds the files, such as /data/shared", text);
                continue;
            }
            try {
                paths.add(root.resolve(text).normalize());
            } catch (InvalidPathException e) {
                fields.problem(fields.at(item), "Cannot read allowed_paths entry '%s': %s; fix the path", text,
                        e.getReason());
            }
        }
        return paths;
    }

    /**
     * The project's {@code catalog:}: {@code warehouse} (the default), or a map {@code { type: postgres, url, user,
     * password: ${env:NAME}, schema }} for a catalog that several machines and projects share.
     */
    private CatalogSpec catalog(YamlNode node, String projectName) {
        if (node == null) {
            return CatalogSpec.WAREHOUSE;
        }
        if (node instanceof YamlNode.Scalar) {
            String text = fields.string(node, "catalog");
            if (text != null && !text.equals("warehouse")) {
                fields.problem(fields.at(node), "Cannot read catalog '%s': expected warehouse (the default) or a map "
                        + "{ type: postgres, url: jdbc:postgresql://host:port/database, user: ..., password: "
                        + "${env:NAME} }; fix catalog: in sluice.yml", fields.hideSecrets(text));
            }
            return CatalogSpec.WAREHOUSE;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "catalog");
        if (mapping == null) {
            return CatalogSpec.WAREHOUSE;
        }
        fields.checkKeys(mapping, "catalog", CATALOG_KEYS);
        String type = mapping.get("type") == null ? null : fields.string(mapping.get("type"), "catalog type");
        if (!"postgres".equals(type) && !"warehouse".equals(type) && !"duckdb".equals(type)) {
            fields.problem(fields.at(node), "Cannot read catalog: type %s is not a catalog kind; set type: postgres "
                    + "(with url, user and password), type: duckdb (with path) or type: warehouse",
                    type == null ? "is missing, which" : "'" + type + "'");
            return CatalogSpec.WAREHOUSE;
        }
        if (type.equals("warehouse")) {
            return CatalogSpec.WAREHOUSE;
        }
        if (type.equals("duckdb")) {
            return duckdbCatalog(mapping, node);
        }
        String url = mapping.get("url") == null ? null : fields.string(mapping.get("url"), "catalog url");
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            fields.problem(fields.at(mapping.get("url") == null ? node : mapping.get("url")), "Cannot read catalog "
                    + "url: %s; set url: jdbc:postgresql://host:port/database", url == null ? "it is missing"
                    : "'" + fields.hideSecrets(url) + "' is not a PostgreSQL JDBC URL");
            return CatalogSpec.WAREHOUSE;
        }
        if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&;]password=.*")) {
            fields.problem(fields.at(mapping.get("url")), "Cannot read catalog url: it holds a password; remove it "
                    + "from the url and write password: ${env:NAME}");
            return CatalogSpec.WAREHOUSE;
        }
        String user = mapping.get("user") == null ? null : fields.string(mapping.get("user"), "catalog user");
        String password = mapping.get("password") == null ? null
                : fields.string(mapping.get("password"), "catalog password");
        if (password != null && fields.hideSecrets(password).equals(password)) {
            fields.problem(fields.at(mapping.get("password")), "Cannot read catalog password: a secret must not be "
                    + "written in sluice.yml; set it in an environment variable and write password: ${env:NAME}");
            return CatalogSpec.WAREHOUSE;
        }
        String schema = mapping.get("schema") == null ? CatalogSpec.defaultSchema(projectName == null ? "project"
                : projectName) : fields.identifier(mapping.get("schema"), "catalog schema");
        return schema == null ? CatalogSpec.WAREHOUSE
                : new CatalogSpec(CatalogSpec.Kind.POSTGRES, url, user, password, schema.toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code catalog: {type: duckdb, path: target/catalog.duckdb}}: a DuckDB file of the catalog's own. */
    private CatalogSpec duckdbCatalog(YamlNode.Mapping mapping, YamlNode node) {
        String path = mapping.get("path") == null ? null : fields.string(mapping.get("path"), "catalog path");
        if (path == null || path.isBlank() || !path.endsWith(".duckdb")) {
            fields.problem(fields.at(mapping.get("path") == null ? node : mapping.get("path")), "Cannot read catalog "
                    + "path: %s; set path: to a DuckDB file such as target/catalog.duckdb", path == null
                    ? "it is missing" : "'" + path + "' is not a .duckdb file");
            return CatalogSpec.WAREHOUSE;
        }
        try {
            return CatalogSpec.duckdb(root.resolve(path));
        } catch (InvalidPathException e) {
            fields.problem(fields.at(mapping.get("path")), "Cannot read catalog path '%s': %s; fix the path", path,
                    e.getReason());
            return CatalogSpec.WAREHOUSE;
        }
    }

    private Map<String, Object> vars(YamlNode node) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (node == null) {
            return vars;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "vars");
        if (mapping == null) {
            return vars;
        }
        Fields varFields = fields.withCode(ErrorCode.PARAMETER_INVALID);
        for (YamlNode.Entry entry : mapping.entries().values()) {
            String what = "var " + entry.key();
            if (!Fields.IDENTIFIER.matcher(entry.key()).matches()) {
                varFields.problem(fields.at(entry), "Cannot read var '%s': not a parameter name; use letters, digits and _, "
                        + "not starting with a digit", entry.key());
                continue;
            }
            // a var with a bad value still counts as defined, so models using it are not reported a second time
            vars.put(entry.key(), null);
            if (entry.value() instanceof YamlNode.Scalar scalar) {
                try {
                    vars.put(entry.key(), ParameterValues.fromYaml(scalar));
                } catch (ParameterValues.InvalidValue e) {
                    varFields.problem(fields.at(scalar), "Cannot read %s: %s; fix the value", what, e.getMessage());
                }
            } else {
                varFields.problem(fields.at(entry.value()), "Cannot read %s: expected a number, string, boolean or date, found %s; "
                        + "a parameter is one value", what, entry.value().kind());
            }
        }
        return vars;
    }

    private Defaults defaults(YamlNode node) {
        Defaults standard = Defaults.standard();
        if (node == null) {
            return standard;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "defaults");
        if (mapping == null) {
            return standard;
        }
        fields.checkKeys(mapping, "defaults", DEFAULTS_KEYS);
        Materialization materialized = standard.materialized();
        if (mapping.get("materialized") != null) {
            Materialization value = fields.choice(mapping.get("materialized"), "defaults materialized", Materialization.class);
            materialized = value == null ? materialized : value;
        }
        String schema = standard.schema();
        if (mapping.get("schema") != null) {
            String value = fields.identifier(mapping.get("schema"), "defaults schema");
            schema = value == null ? schema : value;
        }
        int threads = standard.threads();
        if (mapping.get("threads") != null) {
            Long value = fields.integer(mapping.get("threads"), "defaults threads", 0);
            if (value != null && value > 1024) {
                fields.problem(fields.at(mapping.get("threads")), "Cannot read defaults threads: %d is more than 1024; "
                        + "use 0 for the engine's choice (DuckDB: one model at a time, Spark: one per core)", value);
            } else if (value != null) {
                threads = value.intValue();
            }
        }
        String memoryLimit = standard.memoryLimit();
        YamlNode memoryNode = mapping.get("memory_limit");
        if (memoryNode != null) {
            String text = memoryNode instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL ? scalar.text() : null;
            if (text != null && MEMORY.matcher(text.strip()).matches()) {
                memoryLimit = text.strip();
            } else {
                fields.problem(fields.at(memoryNode), "Cannot read defaults memory_limit '%s': expected an amount with a unit "
                        + "such as 4GB, 512MB or 2GiB", text == null ? memoryNode.kind() : text);
            }
        }
        long targetFileSize = standard.targetFileSize();
        YamlNode sizeNode = mapping.get("target_file_size");
        if (sizeNode != null) {
            String text = sizeNode instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL
                    ? scalar.text().strip() : null;
            Long bytes = text == null ? null : bytes(text);
            if (bytes == null || bytes < (1L << 20)) {
                fields.problem(fields.at(sizeNode), "Cannot read defaults target_file_size '%s': expected an amount of "
                        + "at least 1MB with a unit, such as 256MB or 1GB", text == null ? sizeNode.kind() : text);
            } else {
                targetFileSize = bytes;
            }
        }
        return new Defaults(materialized, schema, threads, memoryLimit, targetFileSize);
    }

    /** Bytes of an amount such as {@code 256MB} or {@code 1GiB} (KB, MB... are taken as powers of 1024); null if not one. */
    static Long bytes(String text) {
        java.util.regex.Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        int power = "BKMGT".indexOf(Character.toUpperCase(matcher.group(2).charAt(0)));
        return new java.math.BigDecimal(matcher.group(1)).multiply(java.math.BigDecimal.valueOf(1L << (10 * power)))
                .longValue();
    }
}
