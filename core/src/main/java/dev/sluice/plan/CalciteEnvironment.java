package dev.sluice.plan;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * Everything Calcite needs, built once per plan: the Babel parser configuration, DuckDB's type system, the
 * operator table from DuckDB's functions, and a schema that grows as sources and models are defined. Not thread-safe.
 */
final class CalciteEnvironment {
    static final SqlParser.Config PARSER = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(SqlConformanceEnum.BABEL);

    /**
     * Calcite's core parser with the same settings. Both parsers are generated from one grammar, Babel adding tokens
     * and productions and unreserving keywords, and the core parser reads a model about four times faster (Babel's
     * extra lookahead made parsing a third of cold planning). So a model is read by the core parser unless its text
     * holds one of Babel's own tokens (whose productions the core parser would read otherwise, e.g. DATE_PART as a
     * plain function), and by Babel when the core parser refuses it (a keyword as a name). ParserParityTest keeps the
     * two readings equal on every model of the repository.
     */
    static final SqlParser.Config CORE_PARSER = PARSER.withParserFactory(
            org.apache.calcite.sql.parser.impl.SqlParserImpl.FACTORY);

    /** Babel's tokens that the core parser lacks (from both generated parsers, so a Calcite upgrade keeps it true). */
    private static final java.util.regex.Pattern BABEL_ONLY = babelOnlyTokens();

    private static java.util.regex.Pattern babelOnlyTokens() {
        java.util.Set<String> tokens = new java.util.TreeSet<>(java.util.Arrays.asList(
                org.apache.calcite.sql.parser.babel.SqlBabelParserImplConstants.tokenImage));
        tokens.removeAll(java.util.Arrays.asList(org.apache.calcite.sql.parser.impl.SqlParserImplConstants.tokenImage));
        List<String> alternatives = new java.util.ArrayList<>();
        for (String token : tokens) {
            if (token.length() > 2 && token.startsWith("\"") && token.endsWith("\"")) {
                String image = token.substring(1, token.length() - 1);
                alternatives.add(image.matches("\\w+") ? "\\b" + image + "\\b"
                        : java.util.regex.Pattern.quote(image));
            }
        }
        return java.util.regex.Pattern.compile(String.join("|", alternatives), java.util.regex.Pattern.CASE_INSENSITIVE);
    }

    /** A model's statements, and whether Babel read them (the core parser refused them, or holds no token of theirs). */
    record Parsed(org.apache.calcite.sql.SqlNodeList statements, boolean babel) {
    }

    /** The model's statements, read by the core parser when it can and by Babel otherwise (Babel's errors win). */
    static Parsed parseStatements(String sql) throws org.apache.calcite.sql.parser.SqlParseException {
        if (!BABEL_ONLY.matcher(new SqlText(sql).masked()).find()) {
            try {
                return new Parsed(SqlParser.create(sql, CORE_PARSER).parseStmtList(), false);
            } catch (org.apache.calcite.sql.parser.SqlParseException | RuntimeException coreRefused) {
                // Babel reads more: its reading, or its error, is the model's
            }
        }
        return new Parsed(SqlParser.create(sql, PARSER).parseStmtList(), true);
    }

    /** DuckDB type names that Calcite does not know, usable in casts ({@code x::hugeint}). */
    private static final List<String> TYPE_ALIASES = List.of(
            "HUGEINT", "UHUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "INT1", "INT2", "INT4", "INT8",
            "LONG", "SHORT", "SIGNED", "FLOAT4", "FLOAT8", "TEXT", "STRING", "BPCHAR", "JSON", "UUID", "BLOB", "BYTEA",
            "BOOL", "LOGICAL", "DATETIME", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMETZ");

    /**
     * Babel's conformance with strict GROUP BY, as DuckDB has it (a selected column is grouped or aggregated).
     * Non-strict GROUP BY also makes Calcite 1.42 walk every select item in search of non-grouped columns
     * ({@code SqlValidatorImpl.isNonAggregatedNonGroupedColumn}), which fails with a null pointer on the empty
     * operand of a searched CASE (and of COALESCE, rewritten to one), so every {@code GROUP BY} of a CASE failed.
     * Strict is right for DuckDB anyway; drop this note, not the override, once Calcite handles null operands there.
     */
    static final SqlConformance STRICT_GROUP_BY = new SqlDelegatingConformance(SqlConformanceEnum.BABEL) {
        @Override
        public boolean isNonStrictGroupBy() {
            return false;
        }
    };

    private final RelDataTypeFactory typeFactory = new JavaTypeFactoryImpl(DuckDbTypes.TypeSystem.INSTANCE);
    private final CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    private final Map<String, CalciteSchema> schemas = new HashMap<>();
    private final SqlOperatorTable operators;
    private final CalciteConnectionConfig connectionConfig;
    private final SqlValidator.Config validatorConfig;

    CalciteEnvironment(List<FunctionInfo> functions) {
        operators = DuckDbOperatorTable.create(functions, typeFactory);
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        properties.setProperty(CalciteConnectionProperty.QUOTING.camelName(), Quoting.DOUBLE_QUOTE.name());
        properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.BABEL.name());
        properties.setProperty(CalciteConnectionProperty.LENIENT_OPERATOR_LOOKUP.camelName(), "true");
        connectionConfig = new CalciteConnectionConfigImpl(properties);
        validatorConfig = SqlValidator.Config.DEFAULT
                .withConformance(STRICT_GROUP_BY)
                .withLenientOperatorLookup(true)
                .withIdentifierExpansion(true);
        for (String alias : TYPE_ALIASES) {
            RelDataType type = DuckDbTypes.toCalcite(alias, typeFactory);
            root.add(alias, factory -> type);
        }
    }

    /** True when a column of this DuckDB type keeps its exact type through Calcite's reading. */
    boolean exact(String duckDbType) {
        return DuckDbTypes.roundTrips(duckDbType, typeFactory);
    }

    /** Defines (or redefines) {@code schema.name} with the columns DuckDB reports. */
    void addTable(String schema, String name, List<ColumnType> columns) {
        CalciteSchema target = schemas.computeIfAbsent(schema.toLowerCase(Locale.ROOT),
                key -> root.add(schema, new AbstractSchema()));
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (ColumnType column : columns) {
            builder.add(column.name(), DuckDbTypes.toCalcite(column.type(), typeFactory));
        }
        RelDataType rowType = builder.uniquify().build();
        target.add(name, new AbstractTable() {
            @Override
            public RelDataType getRowType(RelDataTypeFactory factory) {
                return rowType;
            }
        });
    }

    /**
     * A digest of how output column {@code index} is computed: its expression over the plan below it. Equal digests
     * across two versions of a model mean the column is computed the same way.
     */
    private static String expression(RelNode rel, int index, String below) {
        String text = rel instanceof org.apache.calcite.rel.core.Project project
                ? project.getProjects().get(index) + "\n" + below
                : index + "\n" + below;
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static java.util.Set<RelColumnOrigin> nonNull(java.util.Set<RelColumnOrigin> origins) {
        return origins == null ? java.util.Set.of() : origins;
    }

    private static ColumnOrigin origin(RelColumnOrigin origin, String type, String subtype) {
        List<String> table = origin.getOriginTable().getQualifiedName();
        String relation = String.join(".", table.subList(Math.max(0, table.size() - 2), table.size()));
        String column = origin.getOriginTable().getRowType().getFieldNames().get(origin.getOriginColumnOrdinal());
        return new ColumnOrigin(relation, column, type, subtype);
    }

    /**
     * The columns that decide which rows a query keeps or how they combine: join and filter conditions, grouping
     * keys, sort keys and window partitions and orders, anywhere in the plan. They apply to every output column.
     */
    private static void indirectOrigins(RelNode rel, RelMetadataQuery metadata, List<ColumnOrigin> found) {
        if (rel instanceof org.apache.calcite.rel.core.Join join) {
            add(join, org.apache.calcite.plan.RelOptUtil.InputFinder.bits(join.getCondition()).asList(), "JOIN",
                    metadata, found);
        } else if (rel instanceof org.apache.calcite.rel.core.Filter filter) {
            add(filter.getInput(), org.apache.calcite.plan.RelOptUtil.InputFinder.bits(filter.getCondition()).asList(),
                    "FILTER", metadata, found);
        } else if (rel instanceof org.apache.calcite.rel.core.Aggregate aggregate) {
            add(aggregate.getInput(), aggregate.getGroupSet().asList(), "GROUP_BY", metadata, found);
            // FILTER (WHERE ...) of an aggregate call decides which values it aggregates, as a CASE inside it would:
            // CONDITIONAL, not FILTER, since it removes no row from the result (a sort for it would prune nothing)
            add(aggregate.getInput(), aggregate.getAggCallList().stream().map(call -> call.filterArg)
                    .filter(arg -> arg >= 0).toList(), "CONDITIONAL", metadata, found);
        } else if (rel instanceof org.apache.calcite.rel.core.Sort sort) {
            add(sort.getInput(), sort.getCollation().getFieldCollations().stream()
                    .map(org.apache.calcite.rel.RelFieldCollation::getFieldIndex).toList(), "SORT", metadata, found);
        } else if (rel instanceof org.apache.calcite.rel.core.Project project) {
            for (org.apache.calcite.rex.RexNode expression : project.getProjects()) {
                expression.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
                    @Override
                    public Void visitOver(org.apache.calcite.rex.RexOver over) {
                        List<Integer> keys = new java.util.ArrayList<>();
                        over.getWindow().partitionKeys.forEach(key -> keys.addAll(
                                org.apache.calcite.plan.RelOptUtil.InputFinder.bits(key).asList()));
                        over.getWindow().orderKeys.forEach(key -> keys.addAll(
                                org.apache.calcite.plan.RelOptUtil.InputFinder.bits(key.left).asList()));
                        add(project.getInput(), keys, "WINDOW", metadata, found);
                        return super.visitOver(over);
                    }
                });
            }
        }
        for (RelNode input : rel.getInputs()) {
            indirectOrigins(input, metadata, found);
        }
    }

    private static void add(RelNode rel, List<Integer> fields, String subtype, RelMetadataQuery metadata,
            List<ColumnOrigin> found) {
        for (int field : fields) {
            for (RelColumnOrigin origin : nonNull(metadata.getColumnOrigins(rel, field))) {
                ColumnOrigin indirect = origin(origin, "INDIRECT", subtype);
                if (!found.contains(indirect)) {
                    found.add(indirect);
                }
            }
        }
    }

    private static final java.util.Set<String> HASHES = java.util.Set.of("md5", "sha1", "sha256", "sha512", "hash",
            "md5_number");

    /** True when the expression hashes its value: what comes out no longer shows the original. */
    private static boolean masks(org.apache.calcite.rex.RexNode expression) {
        boolean[] found = {false};
        expression.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(org.apache.calcite.rex.RexCall call) {
                if (HASHES.contains(call.getOperator().getName().toLowerCase(java.util.Locale.ROOT))) {
                    found[0] = true;
                }
                return super.visitCall(call);
            }
        });
        return found[0];
    }

    /**
     * The query's output columns and, where Calcite can plan it, the origins of each output column.
     *
     * @param lineageProblem why the lineage could not be derived (Calcite's message), null when it was
     * @param types the columns with DuckDB's names of Calcite's types, null when one has no exact DuckDB type
     */
    record Validated(List<String> columns, Map<String, List<ColumnOrigin>> origins, Map<String, String> expressions,
            Map<String, String> columnSql, String lineageProblem, List<ColumnType> types) {
    }

    /**
     * Validates the query, then derives column lineage from its relational plan
     * ({@code RelMetadataQuery.getColumnOrigins}). A query Calcite validates but cannot plan still validates; its
     * lineage is then empty and {@link Validated#lineageProblem} says why (reported by whoever reads it), never
     * guessed.
     */
    Validated validate(SqlNode query, java.util.function.Function<SqlParserPos, String> text) {
        List<SqlNode> items = outermostSelectItems(query);
        SqlValidator validator = validator();
        SqlNode validated = validator.validate(query);
        RelDataType rowType = validator.getValidatedNodeType(validated);
        List<String> columns = rowType.getFieldNames();
        List<ColumnType> types = new java.util.ArrayList<>();
        for (org.apache.calcite.rel.type.RelDataTypeField field : rowType.getFieldList()) {
            String type = DuckDbTypes.toDuckDb(field.getType());
            if (type == null) {
                types = null;
                break;
            }
            types.add(new ColumnType(field.getName(), type));
        }
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        Map<String, List<ColumnOrigin>> origins;
        String problem = null;
        try {
            origins = origins(validator, validated, columns, expressions);
        } catch (RuntimeException | AssertionError e) {
            // Calcite validated the query but cannot plan it: the model still runs, and its lineage is reported as
            // not derived with Calcite's own message, so that nobody mistakes it for a model without inputs.
            origins = Map.of();
            problem = lineageProblem(e);
        }
        return new Validated(columns, origins, expressions, columnSql(items, columns, text), problem, types);
    }

    /** The select items of the query's outermost SELECT (the first branch of a set operation), as parsed. */
    private static List<SqlNode> outermostSelectItems(SqlNode query) {
        SqlNode node = query;
        while (!(node instanceof org.apache.calcite.sql.SqlSelect)) {
            if (node instanceof org.apache.calcite.sql.SqlOrderBy orderBy) {
                node = orderBy.query;
            } else if (node instanceof org.apache.calcite.sql.SqlWith with) {
                node = with.body;
            } else if (node instanceof org.apache.calcite.sql.SqlCall call && node.getKind().belongsTo(
                    org.apache.calcite.sql.SqlKind.SET_QUERY)) {
                node = call.operand(0);
            } else {
                return List.of();
            }
        }
        return new java.util.ArrayList<>(((org.apache.calcite.sql.SqlSelect) node).getSelectList().getList());
    }

    /**
     * Output column → the text of the expression computing it, without its alias. Items before the first {@code *}
     * map to columns one to one; after a star the mapping is unknown, so those columns get no text.
     */
    private static Map<String, String> columnSql(List<SqlNode> items, List<String> columns,
            java.util.function.Function<SqlParserPos, String> text) {
        Map<String, String> sql = new java.util.LinkedHashMap<>();
        for (int i = 0; i < Math.min(items.size(), columns.size()); i++) {
            SqlNode item = items.get(i);
            if (item instanceof org.apache.calcite.sql.SqlIdentifier identifier && identifier.isStar()) {
                break;
            }
            SqlNode expression = item.getKind() == org.apache.calcite.sql.SqlKind.AS
                    ? ((org.apache.calcite.sql.SqlCall) item).operand(0) : item;
            String written = text.apply(expression.getParserPosition());
            if (written != null) {
                sql.put(columns.get(i), written.strip());
            }
        }
        return sql;
    }

    /** A fresh validator over the tables defined so far; validators keep per-query state, so one per query. */
    SqlValidator validator() {
        CalciteCatalogReader catalogReader = new CalciteCatalogReader(root, List.of(), typeFactory, connectionConfig);
        return SqlValidatorUtil.newValidator(operators, catalogReader, typeFactory, validatorConfig);
    }

    /**
     * Calcite's convertlets, and TRY_CAST (DuckDB's cast that yields NULL on failure), which Calcite 1.42 validates
     * but cannot convert to a plan: converted as a safe cast, so its value flows from its operand as with CAST.
     */
    private static final org.apache.calcite.sql2rel.SqlRexConvertletTable CONVERTLETS = call -> {
        if (!call.getOperator().getName().equalsIgnoreCase("TRY_CAST")) {
            return StandardConvertletTable.INSTANCE.get(call);
        }
        return (context, tryCast) -> context.getRexBuilder().makeCast(
                context.getValidator().getValidatedNodeType(tryCast),
                context.convertExpression(tryCast.operand(0)), true, true);
    };

    /**
     * Leaves constant expressions as they are. Calcite's default executor folds them (a CAST of a literal, while the
     * converter builds each projection) by compiling Java code with Janino, once per expression: a fifth of the time
     * of planning 1,000 models went there, and lineage never needs a folded value.
     */
    private static final org.apache.calcite.rex.RexExecutor KEEP_CONSTANTS =
            (rexBuilder, constants, reduced) -> reduced.addAll(constants);

    private Map<String, List<ColumnOrigin>> origins(SqlValidator validator, SqlNode validated, List<String> columns,
            Map<String, String> expressions) {
        CalciteCatalogReader catalogReader = (CalciteCatalogReader) validator.getCatalogReader();
        HepPlanner planner = new HepPlanner(HepProgram.builder().build());
        planner.setExecutor(KEEP_CONSTANTS);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> null,
                validator, catalogReader, cluster, CONVERTLETS,
                SqlToRelConverter.config().withTrimUnusedFields(false).withExpand(true));
        RelNode converted = converter.convertQuery(validated, false, true).project();
        // Correlated subqueries become correlates, which column origins cannot see through: decorrelate first.
        RelNode rel = org.apache.calcite.sql2rel.RelDecorrelator.decorrelateQuery(converted,
                org.apache.calcite.rel.core.RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader));
        RelMetadataQuery metadata = rel.getCluster().getMetadataQuery();
        // The plan below the outermost projection, printed once: every column's digest includes it.
        String below = org.apache.calcite.plan.RelOptUtil.toString(
                rel instanceof org.apache.calcite.rel.core.Project project ? project.getInput() : rel);
        for (int i = 0; i < columns.size(); i++) {
            expressions.put(columns.get(i), expression(rel, i, below));
        }
        List<ColumnOrigin> indirect = new java.util.ArrayList<>();
        indirectOrigins(rel, metadata, indirect);
        Map<String, List<ColumnOrigin>> origins = new java.util.LinkedHashMap<>();
        ValueOrigins values = new ValueOrigins(metadata);
        for (int i = 0; i < columns.size(); i++) {
            org.apache.calcite.rex.RexNode expression = rel instanceof org.apache.calcite.rel.core.Project project
                    ? project.getProjects().get(i) : null;
            boolean masking = expression != null && masks(expression);
            java.util.Set<ColumnOrigin> list = new java.util.LinkedHashSet<>();
            for (ValueOrigins.Origin origin : values.of(rel, i)) {
                List<String> table = origin.table().getQualifiedName();
                String relation = String.join(".", table.subList(Math.max(0, table.size() - 2), table.size()));
                String column = origin.table().getRowType().getFieldNames().get(origin.column());
                list.add(new ColumnOrigin(relation, column, origin.type(), origin.subtype(),
                        masking && origin.type().equals("DIRECT")));
            }
            list.addAll(indirect);
            List<ColumnOrigin> sorted = new java.util.ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparing(ColumnOrigin::type).thenComparing(ColumnOrigin::relation)
                    .thenComparing(ColumnOrigin::column).thenComparing(ColumnOrigin::subtype));
            origins.put(columns.get(i), sorted);
        }
        return origins;
    }

    /** Calcite's message for a failure to plan, with the exception's type when it has no message of its own. */
    static String lineageProblem(Throwable failure) {
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? "Calcite cannot plan the query (" + kind + ")"
                : "Calcite cannot plan the query: " + message.strip().replaceAll("\\s+", " ");
    }
}
