package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Session;
import dev.sluice.engine.UserQuery;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaskedStatementTest {
    private static final String HASH = Mask.HASH.apply("ann@example.com").toString();
    private static final ColumnMasks MASKS = new ColumnMasks(Map.of("main.customers", Map.of("EMAIL", Mask.HASH,
            "phone", Mask.PARTIAL, "name", Mask.REDACT, "birth", Mask.NULL)));
    private static DuckDbEngine engine;
    private static Session session;

    @BeforeAll
    static void warehouse() {
        engine = DuckDbEngine.inMemory();
        session = engine.session();
        session.execute("CREATE TABLE customers (id INTEGER, email VARCHAR, phone VARCHAR, name VARCHAR, birth DATE); "
                + "INSERT INTO customers VALUES (1, 'ann@example.com', '+44 20 7946 0958', 'Ann', DATE '1990-01-02'), "
                + "(2, NULL, '123', NULL, NULL); CREATE TABLE orders (id INTEGER, customer_id INTEGER); "
                + "INSERT INTO orders VALUES (10, 1), (11, 1), (12, 2)");
    }

    @AfterAll
    static void close() {
        session.close();
        engine.close();
    }

    private static List<List<Object>> masked(String sql) {
        return UserQuery.run(session, sql, MASKS).values();
    }

    @Test
    void eachMaskShowsWhatItsContractSays() {
        assertThat(masked("SELECT id, email, phone, name, birth FROM customers ORDER BY id")).containsExactly(
                Arrays.asList(1, HASH, "************0958", "****", null), Arrays.asList(2, null, "***", null, null));
        // the Java rendering agrees with the engine's
        assertThat(Mask.PARTIAL.apply("+44 20 7946 0958")).isEqualTo("************0958");
        assertThat(Mask.PARTIAL.apply("123")).isEqualTo("***");
        assertThat(HASH).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(masked("SELECT typeof(birth) FROM customers LIMIT 1")).containsExactly(List.of("DATE"));
    }

    @Test
    void joinsAggregatesAliasesStarsAndSubqueriesSeeOnlyMaskedValues() {
        assertThat(masked("SELECT c.email, count(*) AS n FROM main.customers AS c JOIN orders o ON o.customer_id = c.id "
                + "GROUP BY c.email ORDER BY n DESC")).containsExactly(List.of(HASH, 2L), Arrays.asList(null, 1L));
        assertThat(masked("SELECT * FROM customers WHERE id = 1").get(0)).containsExactly(1, HASH, "************0958",
                "****", null);
        assertThat(masked("WITH x AS (SELECT email AS e FROM customers) SELECT e FROM x WHERE e IS NOT NULL"))
                .containsExactly(List.of(HASH));
        assertThat(masked("SELECT (SELECT max(name) FROM customers) AS n")).containsExactly(List.of("****"));
        assertThat(masked("FROM customers SELECT customers.email WHERE id = 1")).containsExactly(List.of(HASH));
        assertThat(masked("SUMMARIZE customers").toString()).doesNotContain("ann@example.com").doesNotContain("Ann");
        // another relation and clear reads stay as they are
        assertThat(masked("SELECT count(*) FROM orders")).containsExactly(List.of(3L));
        assertThat(UserQuery.run(session, "SELECT email FROM customers WHERE id = 1").values())
                .containsExactly(List.of("ann@example.com"));
    }

    @Test
    void aStreamWithParametersIsMaskedToo() {
        List<Object> emails = new ArrayList<>();
        try (Cursor cursor = UserQuery.stream(session, "SELECT email FROM customers WHERE id = ?", MASKS, 1)) {
            cursor.forEachRemaining(row -> emails.add(row.get(0)));
        }
        assertThat(emails).containsExactly(HASH);
    }

    @Test
    void refusesWhatCannotBeCheckedForMaskedColumns() {
        assertThatThrownBy(() -> masked("PRAGMA storage_info('customers')")).isInstanceOf(SluiceException.class)
                .hasMessage("Cannot run query: pragma_storage_info() reads warehouse data around the masks of its "
                        + "masked columns; name the tables in a SELECT, or read clear values with the unmask right "
                        + "(sluice query --unmask)");
        assertThatThrownBy(() -> masked("SELECT * FROM query_table('customers')"))
                .hasMessage("Cannot run query: query_table() reads warehouse data around the masks of its masked "
                        + "columns; name the tables in a SELECT, or read clear values with the unmask right (sluice "
                        + "query --unmask)");
        assertThat(masked("PRAGMA table_info('customers')")).hasSize(5);
        assertThat(masked("EXPLAIN SELECT email FROM customers")).isNotEmpty();
    }
}
