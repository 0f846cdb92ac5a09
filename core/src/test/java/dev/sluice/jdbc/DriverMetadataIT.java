package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DatabaseMetaData} read as a generic SQL tool reads it when it connects: product, quoting, catalogs,
 * schemas, table types, tables, columns, keys, types, in the order such a tool asks. One project for the class.
 */
class DriverMetadataIT {
    @TempDir
    static Path dir;
    static ProjectFixture project;
    static Connection connection;
    static DatabaseMetaData metadata;

    @BeforeAll
    static void connect() throws SQLException {
        project = DriverProjects.shop(dir.resolve("shop"));
        assertThat(project.run().succeeded()).isTrue();
        connection = DriverManager.getConnection("jdbc:sluice:" + project.root());
        metadata = connection.getMetaData();
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    /** Each row as column label → value, as a tool shows a listing. */
    static List<Map<String, Object>> listing(ResultSet result) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (result) {
            int count = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= count; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void aToolLearnsWhatItIsConnectedTo() throws SQLException {
        assertThat(metadata.getDatabaseProductName()).isEqualTo("Sluice");
        assertThat(metadata.getDriverName()).isEqualTo("Sluice JDBC driver");
        assertThat(metadata.getURL()).isEqualTo("jdbc:sluice:" + project.root());
        assertThat(metadata.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(metadata.isReadOnly()).isTrue();
        assertThat(metadata.supportsTransactions()).isFalse();
        assertThat(metadata.getConnection()).isSameAs(connection);
        assertThat(listing(metadata.getCatalogs())).isEmpty();
        assertThat(listing(metadata.getSchemas())).extracting(row -> row.get("TABLE_SCHEM"))
                .containsExactly("main", "raw", "sluice");
        assertThat(listing(metadata.getTableTypes())).extracting(row -> row.get("TABLE_TYPE"))
                .containsExactly("SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW");
    }

    @Test
    void modelsAreTablesAndViewsWithTheirDescriptions() throws SQLException {
        List<Map<String, Object>> tables = listing(metadata.getTables(null, "main", "%", null));
        assertThat(tables).extracting(row -> row.get("TABLE_NAME") + ":" + row.get("TABLE_TYPE") + ":"
                + row.get("REMARKS")).containsExactly("customers:TABLE:null", "revenue:TABLE:null",
                "stg_orders:VIEW:Orders above the minimum amount.");
        assertThat(listing(metadata.getTables(null, null, "stg\\_%", new String[] {"VIEW"})))
                .extracting(row -> row.get("TABLE_SCHEM") + "." + row.get("TABLE_NAME"))
                .containsExactly("main.stg_orders");
        List<Map<String, Object>> catalog = listing(metadata.getTables(null, "sluice", "%",
                new String[] {"SYSTEM TABLE"}));
        assertThat(catalog).extracting(row -> row.get("TABLE_NAME")).contains("runs", "model_runs",
                "quality_results", "lineage_columns");
        assertThat(listing(metadata.getTables(null, null, "%sluice%", null))).isEmpty();
    }

    @Test
    void columnsHaveTypesAndRemarksWithPiiTags() throws SQLException {
        List<Map<String, Object>> columns = listing(metadata.getColumns(null, "main", "stg_orders", "%"));
        assertThat(columns).extracting(row -> row.get("COLUMN_NAME")).containsExactly("order_id", "amount",
                "order_day", "customer");
        Map<String, Object> amount = columns.get(1);
        assertThat(amount.get("DATA_TYPE")).isEqualTo(Types.DECIMAL);
        assertThat(amount.get("TYPE_NAME")).isEqualTo("DECIMAL(10,2)");
        assertThat(amount.get("COLUMN_SIZE")).isEqualTo(10);
        assertThat(amount.get("DECIMAL_DIGITS")).isEqualTo(2);
        assertThat(amount.get("ORDINAL_POSITION")).isEqualTo(2);
        assertThat(columns.get(2).get("DATA_TYPE")).isEqualTo(Types.DATE);
        assertThat(columns.get(3).get("REMARKS")).isEqualTo("Who ordered [PII]");
        // PII follows lineage: the merge model's customer comes straight from stg_orders.customer.
        List<Map<String, Object>> customers = listing(metadata.getColumns(null, "main", "customers", "cust%"));
        assertThat(customers).extracting(row -> row.get("REMARKS"))
                .containsExactly("PII (from main.stg_orders.customer)");
        try (ResultSet result = metadata.getColumns(null, "sluice", "runs", "run_id")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt("DATA_TYPE")).isEqualTo(Types.BIGINT);
            assertThat(result.getString("IS_NULLABLE")).isEqualTo("NO");
        }
    }

    @Test
    void mergeModelsHaveTheirUniqueKeyAsPrimaryKey() throws SQLException {
        assertThat(listing(metadata.getPrimaryKeys(null, "main", "customers")))
                .extracting(row -> row.get("COLUMN_NAME") + ":" + row.get("KEY_SEQ"))
                .containsExactly("customer:1");
        assertThat(listing(metadata.getPrimaryKeys(null, null, "revenue"))).isEmpty();
        assertThat(listing(metadata.getImportedKeys(null, "main", "customers"))).isEmpty();
        assertThat(listing(metadata.getIndexInfo(null, "main", "customers", false, true))).isEmpty();
    }

    @Test
    void typeInfoListsTheWarehouseTypesByJdbcCode() throws SQLException {
        List<Map<String, Object>> types = listing(metadata.getTypeInfo());
        assertThat(types).extracting(row -> row.get("TYPE_NAME")).contains("BIGINT", "VARCHAR", "DECIMAL",
                "TIMESTAMP", "DATE");
        assertThat(types).extracting(row -> (Integer) row.get("DATA_TYPE")).isSorted();
        assertThat(types).filteredOn(row -> row.get("TYPE_NAME").equals("VARCHAR"))
                .extracting(row -> row.get("LITERAL_PREFIX")).containsExactly("'");
        assertThat(listing(metadata.getProcedures(null, null, "sluice%"))).extracting(row -> row.get("REMARKS"))
                .singleElement().asString().startsWith("Runs the pipeline: CALL sluice_run(");
    }

    /** A tool asks many fixed questions before listing anything: every one the driver answers, answers. */
    @Test
    void everyFixedQuestionIsAnswered() throws Exception {
        int asked = 0;
        for (java.lang.reflect.Method method : MetadataFacts.class.getDeclaredMethods()) {
            if (method.isSynthetic() || !java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
                continue;
            }
            Class<?>[] parameters = method.getParameterTypes();
            Object[] arguments = new Object[parameters.length];
            java.util.Arrays.fill(arguments, ResultSet.TYPE_FORWARD_ONLY);
            if (parameters.length == 2) {
                arguments[1] = ResultSet.CONCUR_READ_ONLY;
            }
            Object answer = DatabaseMetaData.class.getMethod(method.getName(), parameters).invoke(metadata,
                    arguments);
            assertThat(answer).as(method.getName()).isNotNull();
            asked++;
        }
        assertThat(asked).isGreaterThan(100);
        assertThat(metadata.supportsResultSetConcurrency(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY))
                .isTrue();
        assertThat(metadata.getUserName()).isNull();
        assertThat(listing(metadata.getExportedKeys(null, "main", "customers"))).isEmpty();
        assertThat(listing(metadata.getFunctions(null, null, "%"))).isEmpty();
        assertThat(listing(metadata.getProcedures(null, null, null))).hasSize(1);
        assertThat(listing(metadata.getProcedures(null, null, "other"))).isEmpty();
    }
}
