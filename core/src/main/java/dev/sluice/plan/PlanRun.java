package dev.sluice.plan;

import static dev.sluice.plan.ParsedModel.location;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.plan.NameResolver.ModelTarget;
import dev.sluice.plan.NameResolver.SourceTarget;
import dev.sluice.plan.NameResolver.Target;
import dev.sluice.plan.NameResolver.Unresolved;
import dev.sluice.plan.ParsedModel.Reference;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParserPos;

/** One planning of one project: collects every problem, then either throws them all or returns the plan. */
final class PlanRun {
    /** With BABEL conformance an unknown column is first looked up among the select aliases, which finds itself. */
    private static final Pattern SELF_ALIAS =
            Pattern.compile("The definition of column '(.+)' depends on itself through the following columns: '\\1'");

    /** The engine whose SQL {@code parser: duckdb} models are written in, and the only one that can run them. */
    private static final String DUCKDB_ENGINE = "duckdb";

    private final Project project;
    private final SchemaOracle oracle;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, ParsedModel> parsed = new LinkedHashMap<>();
    private final Map<String, Boolean> definedSources = new HashMap<>();
    /** Source → why it cannot be read now. */
    private final Map<String, String> sourceProblems = new HashMap<>();
    private final Map<String, PlannedModel> planned = new LinkedHashMap<>();
    /** Model → output column → its origins, for the models Calcite could plan. */
    private final Map<String, Map<String, List<ColumnOrigin>>> lineage = new HashMap<>();
    /** Model (lower case) → why its lineage could not be derived. */
    private final Map<String, String> lineageProblems = new HashMap<>();
    /** Model → output column → digest of how it is computed. */
    private final Map<String, Map<String, String>> expressions = new HashMap<>();
    private final Map<String, Map<String, String>> columnSql = new HashMap<>();
    private CalciteEnvironment environment;
    private final PlanCache cache;
    /** Model key → the cached plan whose text key matches the model's text now (its inputs are checked later). */
    private final Map<String, CachedModel> cachedByText = new HashMap<>();
    private final Map<String, String> textKeys = new HashMap<>();
    /** Source key → its columns, as the oracle defined it. */
    private final Map<String, List<ColumnType>> sourceColumns = new HashMap<>();
    /** Every relation defined so far (schema.name, lower case) → its definition, replayed into Calcite when needed. */
    private final Map<String, TableDefinition> tables = new LinkedHashMap<>();
    private final List<String> replanned = new ArrayList<>();
    private final List<String> reused = new ArrayList<>();
    private final List<PlanCache.Entry> written = new ArrayList<>();

    /** DuckDB's reading of the models of the level being validated, bound together before they are checked. */
    private final Map<ParsedModel, SchemaOracle.Defined> duckDbReadings = new HashMap<>();

    /**
     * Calcite's columns of the models of the level that DuckDB need not bind (no construct where the two can disagree,
     * inputs of exact types: {@link CrossCheck}).
     */
    private final Map<ParsedModel, List<ColumnType>> calciteReadings = new HashMap<>();

    /** The columns DuckDB reports for the model (bound with its level, or now), or Calcite's where they stand. */
    private List<ColumnType> defineModel(ParsedModel model, String executableSql) {
        List<ColumnType> calcite = calciteReadings.remove(model);
        if (calcite != null) {
            // models bound by DuckDB downstream read it: its empty table is made when one does
            oracle.declareModel(model.model.schema(), model.model.name(), calcite);
            return calcite;
        }
        SchemaOracle.Defined defined = duckDbReadings.remove(model);
        if (defined == null) {
            return oracle.defineModel(model.model.schema(), model.model.name(), executableSql);
        }
        if (defined.failure() != null) {
            throw defined.failure();
        }
        return defined.columns();
    }

    private record TableDefinition(String schema, String name, List<ColumnType> columns) {
    }

    /** A model to validate now: its inputs are defined and its plan key computed (null when it cannot be cached). */
    private record Pending(ParsedModel model, Set<String> upstreamModels, Set<String> upstreamSources, String planKey) {
    }

    /** Calcite's reading of a model, or how it failed (reported in order, after the models validated in parallel). */
    private record CalciteOutcome(CalciteEnvironment.Validated validated, Throwable failure) {
    }

    PlanRun(Project project, SchemaOracle oracle) {
        this(project, oracle, PlanCache.empty("none"));
    }

    PlanRun(Project project, SchemaOracle oracle, PlanCache cache) {
        this.project = project;
        this.oracle = oracle;
        this.cache = cache;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    ProjectPlan plan() {
        NameResolver resolver = new NameResolver(project.models(), project.sources());
        ModelGraph graph = new ModelGraph();
        Set<String> disabled = new HashSet<>();
        for (Model model : project.models()) {
            if (model.enabled()) {
                ParsedModel parsedModel = new ParsedModel(model);
                parsed.put(key(model.name()), parsedModel);
                graph.addModel(key(model.name()));
                String textKey = PlanKeys.textKey(project, cache.sluiceVersion(), model);
                textKeys.put(key(model.name()), textKey);
                CachedModel cached = cache.get(key(model.name()));
                if (cached != null && cached.textKey().equals(textKey)) {
                    // Same text, same settings: the tables it names are those found last time; no parse needed yet.
                    cachedByText.put(key(model.name()), cached);
                    ParsedModel.addCachedReferences(parsedModel, cached.references());
                }
            } else {
                disabled.add(key(model.name()));
            }
        }
        // Babel parsing is the slowest step and each model parses on its own, so models parse in parallel.
        parsed.values().parallelStream().filter(model -> !model.opaque() && !cached(model))
                .forEach(ParsedModel::parseWithCalcite);
        for (ParsedModel model : parsed.values()) {
            if (model.opaque() && !project.engine().equals(DUCKDB_ENGINE)) {
                problem(model, "Cannot plan " + location(model, 1, 1) + ": parser: duckdb ties model "
                        + model.model.name() + " to the DuckDB engine (its SQL is DuckDB's own, which Calcite cannot "
                        + "read), but the project runs on engine '" + project.engine() + "'; write the model in SQL "
                        + "Calcite reads and remove parser: duckdb, or set engine: " + DUCKDB_ENGINE + " in sluice.yml");
            } else if (model.opaque() && !cached(model)) {
                readWithDuckDb(model);
            } else if (model.parseProblem != null) {
                problem(model, model.parseProblem);
            }
            resolve(model, resolver);
        }
        Map<String, Set<String>> upstream = new HashMap<>();
        for (ParsedModel model : parsed.values()) {
            Set<String> keys = new LinkedHashSet<>();
            for (Reference reference : model.references) {
                if (reference.target() instanceof ModelTarget target) {
                    keys.add(key(target.model().name()));
                }
            }
            keys.forEach(upstreamKey -> graph.addDependency(upstreamKey, key(model.model.name())));
            upstream.put(key(model.model.name()), keys);
        }
        List<List<String>> cycles = graph.cycles();
        if (!cycles.isEmpty()) {
            for (List<String> cycle : cycles) {
                String path = cycle.stream().map(k -> parsed.get(k).model.name()).collect(Collectors.joining(" → "));
                problems.add("Cannot order models: they read each other in a cycle " + path
                        + " (each model reads the one before it); remove one of these references");
            }
            throw SluiceException.ofProblems(ErrorCode.MODEL_CYCLE, summary(), problems);
        }
        Set<String> invalid = new HashSet<>();
        // Models that cannot be planned only because a source they read (directly or upstream) cannot be read now:
        // a selection without them still runs, so one missing source does not block the whole project.
        Map<String, Set<String>> unavailable = new LinkedHashMap<>();
        List<String> order = graph.topologicalOrder();
        // Models of one level read only models of lower levels, so a level validates in parallel.
        for (List<String> level : levels(order, upstream)) {
            List<ParsedModel> ready = new ArrayList<>();
            for (String modelKey : level) {
                ParsedModel model = parsed.get(modelKey);
                Set<String> reasons = new LinkedHashSet<>();
                upstream.get(modelKey).forEach(up -> reasons.addAll(unavailable.getOrDefault(up, Set.of())));
                boolean blocked = model.broken || upstream.get(modelKey).stream()
                        .anyMatch(up -> invalid.contains(up) && !unavailable.containsKey(up));
                if (!blocked) {
                    reasons.addAll(unreadableSources(model));
                }
                if (!blocked && !reasons.isEmpty()) {
                    unavailable.put(modelKey, reasons);
                    invalid.add(modelKey);
                } else if (blocked) {
                    invalid.add(modelKey);
                } else {
                    ready.add(model);
                }
            }
            validateLevel(ready, invalid, resolver);
        }
        if (!problems.isEmpty()) {
            problems.addAll(unavailable.values().stream().flatMap(Set::stream).distinct()
                    .filter(reason -> !problems.contains(reason)).toList());
            throw SluiceException.ofProblems(ErrorCode.MODEL_INVALID, summary(), problems);
        }
        List<ProjectPlan.SetAside> setAside = new ArrayList<>();
        unavailable.forEach((modelKey, reasons) -> setAside.add(new ProjectPlan.SetAside(parsed.get(modelKey).model,
                List.copyOf(reasons))));
        List<PlannedModel> models = order.stream().filter(planned::containsKey).map(planned::get).toList();
        return new ProjectPlan(models, upstream, disabled, setAside, Map.of(),
                new PlanReport(replanned, reused, written, cache.ignored()));
    }

    private boolean cached(ParsedModel model) {
        return cachedByText.containsKey(key(model.model.name()));
    }

    /** The models by level (a model's level is one more than its highest upstream's), each level in {@code order}. */
    private static List<List<String>> levels(List<String> order, Map<String, Set<String>> upstream) {
        Map<String, Integer> depth = new HashMap<>();
        List<List<String>> levels = new ArrayList<>();
        for (String modelKey : order) {
            int level = 0;
            for (String up : upstream.get(modelKey)) {
                level = Math.max(level, depth.get(up) + 1);
            }
            depth.put(modelKey, level);
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(modelKey);
        }
        return levels;
    }

    /**
     * Validates the models of one level: a model whose plan key matches its cached plan is taken from the cache;
     * the others are read by Calcite in parallel, then cross-checked with DuckDB one by one, in order.
     */
    private void validateLevel(List<ParsedModel> ready, Set<String> invalid, NameResolver resolver) {
        List<Pending> pending = new ArrayList<>();
        for (ParsedModel model : ready) {
            Pending inputs = inputs(model);
            if (inputs == null) {
                invalid.add(key(model.model.name()));
                continue;
            }
            CachedModel cached = cachedByText.get(key(model.model.name()));
            if (cached != null && cached.planKey().equals(inputs.planKey())) {
                reuse(model, cached);
            } else {
                pending.add(inputs);
            }
        }
        // Models whose text matched the cache but whose inputs changed were not parsed: parse them now.
        List<ParsedModel> unparsed = pending.stream().map(Pending::model)
                .filter(model -> !model.opaque() && model.query == null).toList();
        unparsed.forEach(model -> model.references.clear());
        unparsed.parallelStream().forEach(ParsedModel::parseWithCalcite);
        for (ParsedModel model : unparsed) {
            if (model.parseProblem != null) {
                problem(model, model.parseProblem);
            }
            resolve(model, resolver);
        }
        if (pending.stream().anyMatch(p -> !p.model().opaque())) {
            environment();
        }
        Map<ParsedModel, CalciteOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        pending.parallelStream().filter(p -> !p.model().opaque() && !p.model().broken)
                .forEach(p -> outcomes.put(p.model(), readWithCalcite(p.model())));
        for (Pending p : pending) {
            CalciteOutcome outcome = outcomes.get(p.model());
            if (!p.model().opaque() && !p.model().broken && outcome.failure() == null && p.model().crossCheck == null
                    && outcome.validated().types() != null && exactInputs(p.model())) {
                calciteReadings.put(p.model(), outcome.validated().types());
            }
        }
        // DuckDB's reading of every other model of the level that Calcite accepted, bound together.
        List<ParsedModel> toDefine = pending.stream().map(Pending::model).filter(model -> !model.broken
                && !calciteReadings.containsKey(model)
                && (model.opaque() || outcomes.get(model).failure() == null)).toList();
        List<SchemaOracle.Defined> defined = oracle.defineModels(toDefine.stream()
                .map(model -> new SchemaOracle.ModelSql(model.model.schema(), model.model.name(),
                        PlannedModel.render(executableSql(model), PlannedModel.QUOTED_SOURCES))).toList());
        for (int i = 0; i < toDefine.size(); i++) {
            duckDbReadings.put(toDefine.get(i), defined.get(i));
        }
        for (Pending model : pending) {
            if (model.model().broken || !validate(model, outcomes.get(model.model()))) {
                invalid.add(key(model.model().model.name()));
            }
        }
    }

    /** Whether every table the model reads has only columns whose DuckDB type Calcite represents exactly. */
    private boolean exactInputs(ParsedModel model) {
        for (Reference reference : model.references) {
            List<String> name = qualifiedName(reference.target());
            TableDefinition table = tables.get(key(name.get(0) + "." + name.get(1)));
            if (table == null || !table.columns().stream().allMatch(column -> environment.exact(column.type()))) {
                return false;
            }
        }
        return true;
    }

    private void reuse(ParsedModel model, CachedModel cached) {
        Model definition = model.model;
        planned.put(key(definition.name()), cached.planned(definition));
        addTable(definition.schema(), definition.name(), cached.columns());
        oracle.declareModel(definition.schema(), definition.name(), cached.columns());
        reused.add(definition.name());
    }

    /** Adds a relation to the tables Calcite validates against (now, or when its environment is made). */
    private void addTable(String schema, String name, List<ColumnType> columns) {
        tables.put(key(schema + "." + name), new TableDefinition(schema, name, columns));
        if (environment != null) {
            environment.addTable(schema, name, columns);
        }
    }

    /** Why the sources a model reads cannot be read now; empty when they all can. */
    private Set<String> unreadableSources(ParsedModel model) {
        Set<String> reasons = new LinkedHashSet<>();
        for (Reference reference : model.references) {
            if (reference.target() instanceof SourceTarget target && !defineSource(target.source())) {
                reasons.add(sourceProblems.get(key(target.source().qualifiedName())));
            }
        }
        return reasons;
    }

    private String summary() {
        return "Cannot plan project '" + project.name() + "': " + problems.size() + " problems";
    }

    private void problem(ParsedModel model, String message) {
        problems.add(message);
        model.broken = true;
    }

    private void readWithDuckDb(ParsedModel model) {
        Set<String> names;
        try {
            names = oracle.tableReferences(model.model.sql());
        } catch (IllegalArgumentException e) {
            problem(model, "Cannot parse " + model.model.relativeFile() + ": DuckDB rejects it: "
                    + Readings.duckDbMessage(e) + "; fix the syntax");
            return;
        }
        ParsedModel.addDuckDbReferences(model, names);
    }

    private void resolve(ParsedModel model, NameResolver resolver) {
        List<Reference> resolved = new ArrayList<>();
        for (Reference reference : model.references) {
            Target target = resolver.resolve(reference.parts());
            if (target instanceof Unresolved unresolved) {
                problem(model, "Cannot resolve table '" + String.join(".", reference.parts()) + "' in "
                        + reference.location() + unresolved.reason());
            }
            resolved.add(new Reference(reference.parts(), reference.identifier(), reference.start(), reference.end(),
                    reference.location(), target));
        }
        model.references.clear();
        model.references.addAll(resolved);
    }

    /**
     * The inputs of a model whose upstream models are valid, its sources defined, and its plan key; null when a table
     * it names cannot be read.
     */
    private Pending inputs(ParsedModel model) {
        Set<String> upstreamModels = new LinkedHashSet<>();
        Set<String> upstreamSources = new LinkedHashSet<>();
        for (Reference reference : model.references) {
            if (reference.target() instanceof ModelTarget target) {
                upstreamModels.add(target.model().name());
            } else if (reference.target() instanceof SourceTarget target) {
                upstreamSources.add(target.source().qualifiedName());
                if (!defineSource(target.source())) {
                    return null;
                }
            } else {
                return null;
            }
        }
        String planKey = PlanKeys.planKey(textKeys.get(key(model.model.name())), model.references,
                target -> planned.get(key(target.name())), sourceColumns::get);
        return new Pending(model, upstreamModels, upstreamSources, planKey);
    }

    /** Validates one model whose inputs are defined; false (with its problem recorded) when it is not. */
    private boolean validate(Pending pending, CalciteOutcome outcome) {
        ParsedModel model = pending.model();
        Set<String> upstreamModels = pending.upstreamModels();
        Set<String> upstreamSources = pending.upstreamSources();
        String template = executableSql(model);
        String executableSql = PlannedModel.render(template, PlannedModel.QUOTED_SOURCES);
        Model definition = model.model;
        List<ColumnType> columns;
        if (model.opaque()) {
            try {
                columns = defineModel(model, executableSql);
            } catch (IllegalArgumentException e) {
                problems.add(Readings.duckDbProblem(model, e));
                return false;
            }
        } else {
            columns = validateWithCalcite(model, executableSql, outcome);
            if (columns == null) {
                return false;
            }
        }
        addTable(definition.schema(), definition.name(), columns);
        PlannedModel result = new PlannedModel(definition, executableSql, template, upstreamModels,
                upstreamSources, columns, model.opaque(), lineage.getOrDefault(key(definition.name()), Map.of()),
                expressions.getOrDefault(key(definition.name()), Map.of()),
                columnSql.getOrDefault(key(definition.name()), Map.of()),
                model.opaque() ? PlannedModel.OPAQUE : lineageProblems.get(key(definition.name())),
                windowBounds(model));
        planned.put(key(definition.name()), result);
        replanned.add(definition.name());
        if (pending.planKey() != null) {
            written.add(cache.entry(key(definition.name()), CachedModel.of(textKeys.get(key(definition.name())),
                    pending.planKey(), model.references, result)));
        }
        return true;
    }

    private CalciteEnvironment environment() {
        if (environment == null) {
            environment = new CalciteEnvironment(oracle.functions());
            tables.values().forEach(table -> environment.addTable(table.schema(), table.name(), table.columns()));
        }
        return environment;
    }

    private boolean defineSource(Source source) {
        return definedSources.computeIfAbsent(key(source.qualifiedName()), k -> {
            try {
                List<ColumnType> columns = oracle.defineSource(source);
                sourceColumns.put(k, columns);
                addTable(source.schema(), source.table(), columns);
                return true;
            } catch (SluiceException e) {
                sourceProblems.put(k, e.getMessage());
            } catch (RuntimeException e) {
                sourceProblems.put(k, "Cannot define source '" + source.qualifiedName() + "' (" + source.location()
                        + "): " + e.getMessage() + "; check its declaration in sluice.yml");
            }
            return false;
        });
    }

    /**
     * Calcite's reading of a model (validation and lineage), touching only the model and the environment's tables
     * of lower levels: models of one level are read in parallel.
     */
    private CalciteOutcome readWithCalcite(ParsedModel model) {
        for (Reference reference : model.references) {
            reference.identifier().setNames(qualifiedName(reference.target()), null);
        }
        try {
            return new CalciteOutcome(environment.validate(model.query, position -> {
                int start = model.text.offset(position.getLineNum(), position.getColumnNum());
                int end = model.text.offset(position.getEndLineNum(), position.getEndColumnNum()) + 1;
                return start < 0 || end <= start || end > model.text.text().length() ? null
                        : model.text.text().substring(start, end);
            }), null);
        } catch (RuntimeException | AssertionError e) {
            return new CalciteOutcome(null, e);
        }
    }

    /** The columns DuckDB reports after Calcite and DuckDB agree on the model; null with a problem recorded otherwise. */
    private List<ColumnType> validateWithCalcite(ParsedModel model, String executableSql, CalciteOutcome outcome) {
        Model definition = model.model;
        List<SqlParserPos> itemPositions = Readings.selectItemPositions(model.query);
        List<String> calciteColumns;
        try {
            if (outcome.failure() instanceof RuntimeException failure) {
                throw failure;
            } else if (outcome.failure() instanceof AssertionError failure) {
                throw failure;
            }
            CalciteEnvironment.Validated validated = outcome.validated();
            calciteColumns = validated.columns();
            lineage.put(key(definition.name()), validated.origins());
            if (validated.lineageProblem() != null) {
                lineageProblems.put(key(definition.name()), validated.lineageProblem());
            }
            expressions.put(key(definition.name()), validated.expressions());
            columnSql.put(key(definition.name()), validated.columnSql());
        } catch (CalciteContextException e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            reason = SELF_ALIAS.matcher(reason).replaceAll("Column '$1' not found in any table");
            problems.add(Readings.calciteProblem(oracle, model, location(model, e.getPosLine(), e.getPosColumn()),
                    reason, executableSql));
            return null;
        } catch (RuntimeException | AssertionError e) {
            problems.add(Readings.calciteProblem(oracle, model, location(model, 0, 0), String.valueOf(e.getMessage()),
                    executableSql));
            return null;
        }
        List<ColumnType> columns;
        try {
            columns = defineModel(model, executableSql);
        } catch (IllegalArgumentException e) {
            problems.add(Readings.duckDbProblem(model, e));
            return null;
        }
        int difference = Readings.firstDifference(calciteColumns, columns);
        if (difference >= 0) {
            SqlParserPos position = difference < itemPositions.size() && itemPositions.size() == calciteColumns.size()
                    ? itemPositions.get(difference) : model.query.getParserPosition();
            problems.add("Cannot validate " + location(model, position.getLineNum(), position.getColumnNum())
                    + ": Calcite and DuckDB read the model differently: Calcite sees the columns ("
                    + String.join(", ", calciteColumns) + "), DuckDB sees ("
                    + columns.stream().map(ColumnType::name).collect(Collectors.joining(", ")) + ")"
                    + "; this is DuckDB syntax that Calcite misreads, such as `a // 2` (a comment to Calcite) or"
                    + " ORDER BY ALL: rewrite it in standard SQL, or declare `parser: duckdb` in the model's front"
                    + " matter");
            return null;
        }
        return columns;
    }

    /** The schema and name a resolved target is published under. */
    private static List<String> qualifiedName(Target target) {
        if (target instanceof ModelTarget model) {
            return List.of(model.model().schema(), model.model().name());
        }
        if (target instanceof SourceTarget source) {
            return List.of(source.source().schema(), source.source().table());
        }
        throw new IllegalStateException("unresolved table " + target);
    }

    /** The window bounds the model's SQL reads: a windowed build sets only those session variables. */
    private static Set<String> windowBounds(ParsedModel model) {
        Set<String> read = new java.util.TreeSet<>(model.text.variablesRead());
        read.retainAll(dev.sluice.project.TimeWindow.BOUNDS);
        return read;
    }

    /**
     * The model's own text with the trailing semicolon removed, each model name replaced by the quoted name DuckDB
     * resolves, each source name by a slot (see {@link PlannedModel#render}), and ephemeral upstream models inlined
     * as common table expressions.
     */
    private String executableSql(ParsedModel model) {
        List<SqlText.Edit> edits = new ArrayList<>(model.text.trailingSemicolon());
        Map<String, Model> ephemerals = new LinkedHashMap<>();
        for (Reference reference : model.references) {
            String replacement;
            if (reference.target() instanceof ModelTarget target
                    && target.model().materialized() == Materialization.EPHEMERAL) {
                ephemerals.putIfAbsent(key(target.model().name()), target.model());
                replacement = SqlText.quote(target.model().name());
            } else if (reference.target() instanceof SourceTarget target) {
                replacement = PlannedModel.sourceSlot(target.source().qualifiedName());
            } else {
                replacement = qualifiedName(reference.target()).stream().map(SqlText::quote)
                        .collect(Collectors.joining("."));
            }
            if (reference.start() >= 0) {
                edits.add(new SqlText.Edit(reference.start(), reference.end(), replacement));
            }
        }
        String body = model.text.apply(edits);
        if (ephemerals.isEmpty()) {
            return body;
        }
        String ctes = ephemerals.values().stream()
                .map(e -> SqlText.quote(e.name()) + " AS (\n" + planned.get(key(e.name())).template() + "\n)")
                .collect(Collectors.joining(",\n"));
        SqlText text = new SqlText(body);
        int afterWith = text.afterLeadingWith();
        if (afterWith >= 0) {
            return body.substring(0, afterWith) + "\n" + ctes + "," + body.substring(afterWith);
        }
        int start = text.firstTokenOffset();
        return body.substring(0, start) + "WITH " + ctes + "\n" + body.substring(start);
    }
}
