package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Reads every {@code models/**}{@code /*.sql} file of a project into {@link Model}s. */
final class ModelReader {
    static final String MODELS = "models";
    static final String TESTS = "tests";
    static final List<String> TEST_KEYS = List.of("model", "name", "description", "severity", "on_fail",
            "max_fail_count", "max_fail_fraction", "warn_fail_count", "warn_fail_fraction", "scope");

    private final Path root;
    /** The project folder and its allowed_paths: where a lake folder may be. */
    private final List<Path> readableRoots;
    private final Defaults defaults;
    private final ParameterSubstitution substitution;
    private final Problems problems;
    private final S3Settings s3;
    /** Per parquet model read, where its front matter names its lake folder. */
    private final Map<String, Location> lakeLocations = new LinkedHashMap<>();
    /** Where {@code ${env:NAME}} in a sink's settings is read from. */
    private final Map<String, String> environment;
    /** The values the models' sinks took from the environment. */
    private final List<Secret> secrets = new ArrayList<>();

    ModelReader(Path root, List<Path> readableRoots, Defaults defaults, ParameterSubstitution substitution,
            Problems problems) {
        this(root, readableRoots, defaults, substitution, problems, S3Settings.NONE, Map.of());
    }

    /**
     * @param s3 the project's object storage settings: the buckets lake outputs may be written to
     * @param environment where {@code ${env:NAME}} in a sink's settings is read from
     */
    ModelReader(Path root, List<Path> readableRoots, Defaults defaults, ParameterSubstitution substitution,
            Problems problems, S3Settings s3, Map<String, String> environment) {
        this.s3 = s3;
        this.environment = environment;
        this.root = root;
        this.readableRoots = List.copyOf(readableRoots);
        this.defaults = defaults;
        this.substitution = substitution;
        this.problems = problems;
    }

    /** The values the sinks of the models read so far took from the environment: secrets, like sluice.yml's. */
    List<Secret> secrets() {
        return List.copyOf(secrets);
    }

    /** Every model, sorted by name; a model with a problem is left out after the problem is reported. */
    List<Model> readAll() {
        List<Path> files = sqlFiles(MODELS);
        Map<String, Path> seen = new LinkedHashMap<>();
        List<Model> models = new ArrayList<>();
        for (Path file : files) {
            Path relative = root.relativize(file);
            String name = nameOf(file);
            Location top = new Location(relative, 1, 1);
            if (!Fields.IDENTIFIER.matcher(name).matches()) {
                problems.add(ErrorCode.MODEL_INVALID, top, "Cannot read model '%s': a model's file name is its table name, so it "
                        + "must be letters, digits and _, not starting with a digit; rename the file", name);
                continue;
            }
            // DuckDB identifiers are case-insensitive: Orders and orders would be the same table
            Path other = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), relative);
            if (other != null) {
                problems.add(ErrorCode.MODEL_INVALID, top, "Cannot read model '%s': %s defines a model of the same name "
                        + "(names are case-insensitive); rename one of the files", name, other);
                continue;
            }
            Model model = read(file, relative, name);
            if (model != null) {
                models.add(model);
            }
        }
        models.sort((a, b) -> a.name().compareTo(b.name()));
        checkLakeFolders(models);
        checkSinkTargets(models);
        return models;
    }

    /** Two models may not write one sink table: each write would replace or merge over the other's rows. */
    private void checkSinkTargets(List<Model> models) {
        Map<String, Model> targets = new LinkedHashMap<>();
        for (Model model : models) {
            if (model.sink() == null) {
                continue;
            }
            Model earlier = targets.putIfAbsent(model.sink().settings().target().toLowerCase(Locale.ROOT), model);
            if (earlier != null) {
                problems.add(ErrorCode.MODEL_INVALID, model.sink().location(), "Cannot read model %s sink: its table "
                        + "%s is the sink of model %s (%s) too; each would overwrite the other's rows: give one of "
                        + "them another table", model.name(), model.sink().settings().target(), earlier.name(),
                        earlier.relativeFile());
            }
        }
    }

    /**
     * Two parquet models may not share a lake folder or hold one inside the other: each publish of one would replace
     * or clean up the other's files. Reported at the later model (by name), naming the earlier.
     */
    private void checkLakeFolders(List<Model> models) {
        List<Model> lake = models.stream().filter(m -> m.storage().effectiveFormat().lake())
                .toList();
        for (int i = 0; i < lake.size(); i++) {
            Model model = lake.get(i);
            Path folder = model.lakeFolder(root);
            for (Model earlier : lake.subList(0, i)) {
                Path other = earlier.lakeFolder(root);
                String relation = folder.equals(other) ? "is the lake folder"
                        : folder.startsWith(other) ? "is inside the lake folder " + shown(other)
                        : other.startsWith(folder) ? "holds the lake folder " + shown(other) : null;
                if (relation != null) {
                    problems.add(ErrorCode.MODEL_INVALID, lakeLocations.get(model.name()), "Cannot read front matter "
                            + "storage path: model %s's lake folder %s %s of model %s (%s); each parquet model needs a "
                            + "folder of its own, outside the others': change storage.path of one of them",
                            model.name(), shown(folder), relation, earlier.name(), earlier.relativeFile());
                    break;
                }
            }
        }
    }

    private String shown(Path folder) {
        return root.relativize(folder).toString().replace('\\', '/');
    }

    private List<Path> sqlFiles(String folderName) {
        Path folder = root.resolve(folderName);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            // sorted by path so that clashes and problems come out in the same order on every machine
            return walk.filter(p -> p.getFileName().toString().endsWith(".sql") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(ErrorCode.PROJECT_INVALID, new Location(root.relativize(folder), 0, 0),
                    "Cannot list %s: %s; check the folder's permissions", folderName, e.getMessage());
            return List.of();
        }
    }

    static String nameOf(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - ".sql".length());
    }

    /**
     * Adds each {@code tests/**}{@code /*.sql} assertion (a query selecting failing rows, with front matter naming its
     * {@code model}, and optionally severity and thresholds) to its model's quality rules.
     */
    List<Model> withTests(List<Model> models) {
        Map<String, List<RuleConfig>> tests = new LinkedHashMap<>();
        for (Path file : sqlFiles(TESTS)) {
            Path relative = root.relativize(file);
            String text = readText(file, relative);
            FrontMatterParser frontMatterParser = new FrontMatterParser(relative, problems);
            FrontMatterParser.Split split = text == null ? null : frontMatterParser.split(text);
            if (split == null) {
                continue;
            }
            Fields fields = new Fields(relative, problems, ErrorCode.MODEL_INVALID);
            Location top = new Location(relative, 1, 1);
            YamlNode.Mapping mapping = null;
            try {
                YamlNode document = split.yaml() == null ? null
                        : YamlReader.read(split.yaml(), split.yamlLine(), split.yamlColumn());
                mapping = document == null ? null : fields.mapping(document, "test front matter");
            } catch (YamlReader.SyntaxError e) {
                fields.problem(new Location(relative, e.line(), e.column()), "Cannot read test: invalid YAML: %s; fix "
                        + "the YAML", e.getMessage());
                continue;
            }
            String model = mapping == null || mapping.get("model") == null ? null
                    : fields.identifier(mapping.get("model"), "test model");
            if (model == null) {
                fields.problem(top, "Cannot read test %s: its front matter must name the model it checks "
                        + "(model: orders); add /*--- model: <name> ---*/ at the top", relative);
                continue;
            }
            fields.checkKeys(mapping, "test front matter", TEST_KEYS);
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) fields.plain(mapping, "test front matter");
            spec.remove("model");
            spec.putIfAbsent("name", nameOf(file));
            spec.put("sql", stripEnd(substitution.substitute(text, split.bodyStart(), relative))
                    .substring(split.bodyStart()).strip());
            tests.computeIfAbsent(model.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(new RuleConfig(spec, top));
        }
        List<Model> result = new ArrayList<>();
        for (Model model : models) {
            List<RuleConfig> more = tests.remove(model.name().toLowerCase(Locale.ROOT));
            result.add(more == null ? model : model.withMoreQuality(more));
        }
        List<String> names = models.stream().map(Model::name).toList();
        tests.forEach((model, configs) -> configs.forEach(config -> problems.add(ErrorCode.MODEL_INVALID,
                config.location(), "Cannot attach test %s: there is no model '%s'%s; fix its model:", config.location()
                        .file(), model, Names.didYouMean(model, names))));
        return result;
    }

    private Model read(Path file, Path relative, String name) {
        String text = readText(file, relative);
        if (text == null) {
            return null;
        }
        int before = problems.size();
        FrontMatterParser frontMatterParser = new FrontMatterParser(relative, problems);
        FrontMatterParser.Split split = frontMatterParser.split(text);
        if (split == null) {
            return null;
        }
        FrontMatterParser.FrontMatter frontMatter = frontMatterParser.parse(split);
        if (!hasSql(text, split.bodyStart())) {
            problems.add(ErrorCode.MODEL_INVALID, ParameterSubstitution.locate(relative, text, split.bodyStart()),
                    "Cannot read model %s: it has no SQL query; write one SELECT statement%s", name,
                    split.yaml() == null ? "" : " after the front matter");
        }
        Materialization materialized = frontMatter.materialized() == null ? defaults.materialized()
                : frontMatter.materialized();
        String sql = stripEnd(substitution.substitute(text, split.bodyStart(), relative, frontMatter.time() != null,
                secretsRefused(materialized)));
        List<RuleConfig> quality = frontMatter.quality().stream().map(substitution::substituteRule).toList();
        String when = frontMatter.when() == null ? null : substitution.substituteValue(frontMatter.when(),
                frontMatter.whenLocation(), false, "and a when: condition is evaluated by Sluice, outside the engine's "
                        + "sessions; compare with a var that is not a secret");
        SinkSpec sink = null;
        if (frontMatter.sink() != null) {
            SinkParser sinkParser = new SinkParser(root, relative, problems, environment);
            sink = sinkParser.parse(frontMatter.sink(), name, materialized, incremental(frontMatter, materialized));
            secrets.addAll(sinkParser.secrets());
        }
        if (problems.size() > before) {
            return null;
        }
        if (frontMatter.storage().format() == StorageSpec.Format.PARQUET && materialized != Materialization.TABLE
                && materialized != Materialization.INCREMENTAL) {
            problems.add(ErrorCode.MODEL_INVALID, new Location(relative, split.yamlLine(), split.yamlColumn()),
                    "Cannot read model %s: storage format parquet needs materialized: table or incremental (it is "
                            + "%s); change materialized or remove format: parquet", name,
                    Fields.lowerName(materialized));
            return null;
        }
        if (frontMatter.storage().format() == StorageSpec.Format.ICEBERG && (frontMatter.time() != null
                || materialized != Materialization.TABLE && materialized != Materialization.INCREMENTAL)) {
            problems.add(ErrorCode.MODEL_INVALID, new Location(relative, split.yamlLine(), split.yamlColumn()),
                    "Cannot read model %s: storage format iceberg needs materialized: table or incremental without "
                            + "time: (it is %s%s); change materialized, or use format: parquet for a windowed model",
                    name, Fields.lowerName(materialized), frontMatter.time() == null ? "" : ", windowed");
            return null;
        }
        if (frontMatter.storage().format() != null && frontMatter.storage().format().lake()) {
            String path = frontMatter.storage().path();
            if (S3Settings.isS3(path)) {
                String bucket = path.substring("s3://".length()).split("/", 2)[0];
                if (!s3.allows(bucket) || path.substring("s3://".length()).split("/", 2).length < 2
                        || path.matches(".*[*?\\[{].*")) {
                    problems.add(ErrorCode.MODEL_INVALID, frontMatter.storageAt(), "Cannot read front matter storage "
                            + "path: '%s' %s", path, s3.allows(bucket)
                                    ? "is not a folder in a bucket; write s3://bucket/prefix"
                                    : "is in the bucket '" + bucket + "', which is not one the project may use; add it"
                                            + " to s3: { buckets: [" + bucket + "] } in sluice.yml if this project may "
                                            + "write there");
                    return null;
                }
            } else if (path != null) {
                java.util.Optional<String> outside;
                try {
                    outside = ProjectPaths.unwritable(root.resolve(path), readableRoots);
                } catch (java.nio.file.InvalidPathException e) {
                    outside = java.util.Optional.of("is not a path (" + e.getReason() + ")");
                }
                if (outside.isPresent()) {
                    problems.add(ErrorCode.MODEL_INVALID, frontMatter.storageAt(), "Cannot read front matter storage "
                            + "path: '%s' %s; Sluice writes and deletes lake versions there, so it must be a folder "
                            + "inside the project (or its allowed_paths): use a relative path such as lake/%s", path, outside.get(), name);
                    return null;
                }
            }
            lakeLocations.put(name, frontMatter.storageAt());
        }
        return new Model(
                name,
                file,
                relative,
                frontMatter.schema() == null ? defaults.schema() : frontMatter.schema(),
                materialized,
                frontMatter.tags(),
                frontMatter.description(),
                frontMatter.columns(),
                frontMatter.enabled() == null || frontMatter.enabled(),
                frontMatter.parser() == null ? SqlParserChoice.CALCITE : frontMatter.parser(),
                sql,
                sha256(sql),
                quality,
                when,
                frontMatter.otherwise(),
                incremental(frontMatter, materialized),
                frontMatter.storage(),
                frontMatter.time(),
                sink);
    }

    /**
     * Why a model of this kind may not read a secret var, or null when it may: a table is built in a session that
     * sets the secret's variable, but a view keeps its SQL in the warehouse, where every session reading it (other
     * tools' among them) would find the variable unset, and an ephemeral model is inlined into views too.
     */
    private static String secretsRefused(Materialization materialized) {
        return switch (materialized) {
            case TABLE, INCREMENTAL -> null;
            case VIEW, EPHEMERAL -> "and " + Fields.lowerName(materialized) + " models are read by sessions that do "
                    + "not hold it (their SQL is kept in the warehouse or inlined into views); materialize the model as "
                    + "a table (materialized: table)";
        };
    }

    /** A model made incremental by the project's defaults gets the default strategy. */
    private static Incremental incremental(FrontMatterParser.FrontMatter frontMatter, Materialization materialized) {
        if (materialized != Materialization.INCREMENTAL) {
            return null;
        }
        return frontMatter.incremental() != null ? frontMatter.incremental()
                : new Incremental(Incremental.Strategy.APPEND, List.of(), Incremental.OnSchemaChange.FAIL);
    }

    private String readText(Path file, Path relative) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            // a byte order mark is invisible in editors but not to the front matter check
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            problems.add(ErrorCode.MODEL_INVALID, new Location(relative, 0, 0), "Cannot read model file: it is not UTF-8 text; "
                    + "save it as UTF-8");
        } catch (IOException e) {
            problems.add(ErrorCode.MODEL_INVALID, new Location(relative, 0, 0), "Cannot read model file: %s; check the file",
                    e.getMessage());
        }
        return null;
    }

    /** True when the text from {@code start} holds anything but whitespace, comments and semicolons. */
    static boolean hasSql(String text, int start) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Without trailing whitespace and one trailing semicolon: the query is embedded in larger statements later. */
    static String stripEnd(String sql) {
        String result = sql.stripTrailing();
        if (result.endsWith(";")) {
            result = result.substring(0, result.length() - 1).stripTrailing();
        }
        return result;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(e);
        }
    }
}
