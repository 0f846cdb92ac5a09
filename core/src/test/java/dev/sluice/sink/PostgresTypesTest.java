package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresTypesTest {
    private static String type(String duckType) {
        PostgresTypes.Column column = PostgresTypes.column("c", duckType);
        return column.postgresType() + " " + column.form() + " " + column.select();
    }

    @Test
    void mapsEachTypeAndSaysHowTheWarehouseReadsIt() {
        assertThat(type("DECIMAL(38, 10)")).isEqualTo("numeric(38,10) PLAIN \"c\"");
        assertThat(type("ENUM('a', 'b')")).isEqualTo("text TEXT CAST(\"c\" AS VARCHAR)");
        assertThat(type("TIME WITH TIME ZONE")).isEqualTo("time with time zone TEXT CAST(\"c\" AS VARCHAR)");
        assertThat(type("TIMESTAMP_NS")).isEqualTo("timestamp without time zone TEXT CAST(\"c\" AS VARCHAR)");
        assertThat(type("UNION(a INTEGER, b VARCHAR)")).isEqualTo("jsonb JSON CAST(to_json(\"c\") AS VARCHAR)");
        assertThat(type("MAP(VARCHAR, INTEGER)")).isEqualTo("jsonb JSON CAST(to_json(\"c\") AS VARCHAR)");
        assertThat(type("BIT")).isEqualTo("text TEXT CAST(\"c\" AS VARCHAR)");
        assertThat(type("BLOB")).isEqualTo("bytea HEX hex(\"c\")");
        assertThat(type("DATE[3]")).isEqualTo("date[] ARRAY \"c\"");
        assertThat(type("TIMESTAMP[]")).isEqualTo("jsonb JSON CAST(to_json(\"c\") AS VARCHAR)");
        assertThat(type("JSON[]")).isEqualTo("jsonb JSON CAST(to_json(\"c\") AS VARCHAR)");
        assertThat(type("INTEGER[][]")).isEqualTo("jsonb JSON CAST(to_json(\"c\") AS VARCHAR)");
        assertThat(type("utinyint")).isEqualTo("smallint PLAIN \"c\"");
        assertThat(type("UINTEGER")).isEqualTo("bigint PLAIN \"c\"");
        assertThat(type("USMALLINT")).isEqualTo("integer PLAIN \"c\"");
        assertThat(type("UHUGEINT")).isEqualTo("numeric PLAIN \"c\"");
    }

    @Test
    void writesValuesInCopyTextFormat() {
        StringBuilder line = new StringBuilder();
        PostgresTypes.append(line, PostgresTypes.column("a", "VARCHAR"), "tab\tnew\nline\rback\\slash");
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("b", "BOOLEAN"), false);
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("c", "DECIMAL(20,2)"), new BigDecimal("1E+3"));
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("d", "DATE[]"), Arrays.asList(LocalDate.of(2026, 1, 2), null));
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("e", "VARCHAR[]"), List.of("a\\b", "q\"", "x,y"));
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("f", "BLOB"), "AABB");
        line.append('|');
        PostgresTypes.append(line, PostgresTypes.column("g", "DOUBLE"), null);

        assertThat(line.toString()).isEqualTo("tab\\tnew\\nline\\rback\\\\slash|f|1000|{\"2026-01-02\",NULL}|"
                + "{\"a\\\\\\\\b\",\"q\\\\\"\",\"x,y\"}|\\\\xAABB|\\N");
    }
}
