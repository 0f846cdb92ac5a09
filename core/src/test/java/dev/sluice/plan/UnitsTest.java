package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** Unit tests of the planner's parts: type mapping, operator table, table references, SQL text edits. */
class UnitsTest {
    private static final RelDataTypeFactory TYPES = new JavaTypeFactoryImpl(DuckDbTypes.TypeSystem.INSTANCE);

    private static String type(String duckDb) {
        return DuckDbTypes.toCalcite(duckDb, TYPES).getFullTypeString();
    }

    @Test
    void mapsDuckDbTypes() {
        assertThat(type("BIGINT")).isEqualTo("BIGINT");
        assertThat(type("decimal(38, 10)")).isEqualTo("DECIMAL(38, 10)");
        assertThat(type("HUGEINT")).isEqualTo("DECIMAL(38, 0)");
        assertThat(type("UBIGINT")).isEqualTo("DECIMAL(20, 0)");
        assertThat(type("TIMESTAMP_NS")).isEqualTo("TIMESTAMP(9)");
        assertThat(type("TIMESTAMP WITH TIME ZONE")).isEqualTo("TIMESTAMP_WITH_LOCAL_TIME_ZONE(6)");
        assertThat(type("INTERVAL")).isEqualTo("INTERVAL DAY TO SECOND");
        assertThat(type("VARCHAR(20)")).startsWith("VARCHAR");
        assertThat(type("FLOAT")).isEqualTo("REAL");
        assertThat(type("DOUBLE")).isEqualTo("DOUBLE");
        assertThat(type("BLOB")).startsWith("VARBINARY");
        assertThat(type("INTEGER[]")).isEqualTo("ANY");
        assertThat(type("STRUCT(a INTEGER)")).isEqualTo("ANY");
        assertThat(type("MAP(VARCHAR, INTEGER)")).isEqualTo("ANY");
        assertThat(type("GEOMETRY")).isEqualTo("ANY");
        assertThat(DuckDbTypes.toCalcite("DATE", TYPES).isNullable()).isTrue();
    }

    @Test
    void typeSystemKeepsDuckDbPrecision() {
        assertThat(TYPES.createSqlType(SqlTypeName.DECIMAL, 38, 4).getPrecision()).isEqualTo(38);
        assertThat(TYPES.createSqlType(SqlTypeName.TIMESTAMP, 9).getPrecision()).isEqualTo(9);
        assertThat(DuckDbTypes.TypeSystem.INSTANCE.getMaxScale(SqlTypeName.DECIMAL)).isEqualTo(38);
        assertThat(DuckDbTypes.TypeSystem.INSTANCE.getMaxPrecision(SqlTypeName.VARCHAR))
                .isEqualTo(new org.apache.calcite.rel.type.RelDataTypeSystemImpl() { }.getMaxPrecision(SqlTypeName.VARCHAR));
    }

    @Test
    void operatorTableDeclaresDuckDbFunctionsWithMappedReturnTypes() throws Exception {
        CalciteEnvironment environment = new CalciteEnvironment(List.of(
                new FunctionInfo("strftime", "scalar", "VARCHAR"),
                new FunctionInfo("epoch", "scalar", "BIGINT"),
                new FunctionInfo("epoch", "scalar", "DOUBLE"),
                new FunctionInfo("arg_max", "aggregate", "ANY"),
                new FunctionInfo("approx_count_distinct", "aggregate", "BIGINT"),
                new FunctionInfo("histogram", "aggregate", "MAP(ANY, UBIGINT)"),
                new FunctionInfo("read_csv", "table", null),
                new FunctionInfo("sum", "aggregate", "HUGEINT"),
                new FunctionInfo("~~", "scalar", "BOOLEAN")));
        environment.addTable("raw", "t", List.of(new ColumnType("ts", "TIMESTAMP"), new ColumnType("n", "INTEGER")));

        RelDataType row = validate(environment,
                "SELECT strftime(max(ts), '%Y') AS y, epoch(max(ts)) AS e, arg_max(n, ts) AS m, sum(n) AS s,"
                        + " approx_count_distinct(n) AS c, histogram(n) AS h FROM raw.t");

        assertThat(row.getFieldList()).extracting(f -> f.getType().getSqlTypeName())
                .containsExactly(SqlTypeName.VARCHAR, SqlTypeName.ANY, SqlTypeName.INTEGER, SqlTypeName.INTEGER,
                        SqlTypeName.BIGINT, SqlTypeName.ANY);
    }

    private static RelDataType validate(CalciteEnvironment environment, String sql) throws Exception {
        var validator = environment.validator();
        var node = validator.validate(SqlParser.create(sql, CalciteEnvironment.PARSER).parseQuery());
        return validator.getValidatedNodeType(node);
    }

    private static List<String> references(String sql) throws Exception {
        return TableReferences.of(SqlParser.create(sql, CalciteEnvironment.PARSER).parseQuery()).stream()
                .map(SqlIdentifier::toString).toList();
    }

    @Test
    void collectsTableReferencesEverywhere() throws Exception {
        assertThat(references("""
                WITH a AS (SELECT * FROM s.one), b AS (SELECT * FROM a JOIN two ON true)
                SELECT * FROM b, LATERAL (SELECT * FROM three) x
                WHERE EXISTS (SELECT 1 FROM four) AND id IN (SELECT id FROM five)
                UNION ALL SELECT (SELECT max(x) FROM six) FROM seven TABLESAMPLE BERNOULLI (10)
                EXCEPT SELECT * FROM TABLE(generate_series(1, 3))
                ORDER BY 1""")).containsExactly("s.one", "two", "three", "four", "five", "seven", "six");
    }

    @Test
    void laterCommonTableExpressionsAreNotInScopeOfEarlierOnes() throws Exception {
        assertThat(references("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a, b"))
                .containsExactly("b");
        assertThat(references("WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT * FROM r) SELECT * FROM r"))
                .isEmpty();
    }

    @Test
    void sqlTextMapsPositionsAndFindsTokens() {
        SqlText text = new SqlText("-- c\r\n/* x */ SELECT 'a;' -- ;\n FROM t;;  -- end");

        assertThat(text.offset(2, 9)).isEqualTo(14);
        assertThat(text.line(14)).isEqualTo(2);
        assertThat(text.column(14)).isEqualTo(9);
        assertThat(text.firstTokenOffset()).isEqualTo(14);
        assertThat(text.apply(text.trailingSemicolon())).isEqualTo("-- c\r\n/* x */ SELECT 'a;' -- ;\n FROM t  -- end");
        assertThat(text.masked()).doesNotContain("a;").doesNotContain("end").contains("SELECT");
        assertThat(text.afterLeadingWith()).isEqualTo(-1);
        assertThat(new SqlText("with recursive x as (select 1) select 1").afterLeadingWith()).isEqualTo(14);
        assertThat(SqlText.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    @Test
    void sqlTextFindsTableNamesForDuckDbModels() {
        SqlText text = new SqlText("SELECT a.x FROM \"Raw\".orders a, crm.people, read_csv('f') JOIN t2 ON a.x = t2.x"
                + " WHERE x IN (SELECT y FROM t3), z");

        assertThat(text.tableNames()).extracting(SqlText.NameSpan::parts).containsExactly(
                List.of("Raw", "orders"), List.of("crm", "people"), List.of("t2"), List.of("t3"));
    }

    @Test
    void suggestsCloseNamesOnly() {
        assertThat(NameResolver.suggest("stg_ordrs", List.of("stg_orders", "customers"))).isEqualTo("stg_orders");
        assertThat(NameResolver.suggest("zzz", List.of("stg_orders"))).isNull();
        assertThat(NameResolver.suggest("sittin", java.util.List.of("kitten", "sitting"))).isEqualTo("sitting");
        assertThat(NameResolver.suggest("Stg_Order", List.of("stg_orders"))).isEqualTo("stg_orders");
    }
}
