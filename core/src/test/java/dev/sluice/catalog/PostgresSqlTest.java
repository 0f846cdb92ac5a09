package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rewrite of the stores' and migrations' DuckDB statements for the PostgreSQL catalog, one form at a time. */
class PostgresSqlTest {
    private static final PostgresSql.TableKey WATERMARKS = new PostgresSql.TableKey(List.of("source"),
            List.of("watermark", "run_id"));

    private static String translated(String sql) {
        return PostgresSql.translate(sql, "sluice_shop", table -> {
            assertThat(table).isEqualTo("watermarks");
            return WATERMARKS;
        });
    }

    @Test
    void theCatalogSchemaIsTheProjectsAndTextInQuotesIsLeftAsItIs() {
        assertThat(translated("SELECT 'see sluice.runs', \"sluice.x\" FROM sluice.runs -- it's sluice.runs\n"
                + "WHERE x = 1"))
                .isEqualTo("SELECT 'see sluice.runs', \"sluice.x\" FROM \"sluice_shop\".runs -- it's "
                        + "\"sluice_shop\".runs\nWHERE x = 1");
        assertThat(translated("SELECT nextval('sluice.run_ids')")).isEqualTo("SELECT nextval('\"sluice_shop\".run_ids')");
        assertThat(translated("CREATE SCHEMA IF NOT EXISTS sluice")).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"sluice_shop\"");
        assertThat(translated("CREATE SCHEMA sluice")).isEqualTo("CREATE SCHEMA \"sluice_shop\"");
    }

    @Test
    void doubleIsDoublePrecisionAndAParameterOnlyTestedForNullIsText() {
        assertThat(translated("ALTER TABLE sluice.t ADD COLUMN c DOUBLE, ADD COLUMN d DOUBLE PRECISION"))
                .isEqualTo("ALTER TABLE \"sluice_shop\".t ADD COLUMN c DOUBLE PRECISION, ADD COLUMN d DOUBLE PRECISION");
        assertThat(translated("SELECT 1 WHERE (? IS NULL OR model = ?)"))
                .isEqualTo("SELECT 1 WHERE (CAST(? AS TEXT) IS NULL OR model = ?)");
    }

    @Test
    void insertOrReplaceUpsertsOnThePrimaryKeyAndInsertOrIgnoreSkipsConflicts() {
        assertThat(translated("INSERT OR REPLACE INTO sluice.watermarks VALUES (?, ?, ?)"))
                .isEqualTo("INSERT INTO \"sluice_shop\".watermarks VALUES (?, ?, ?) ON CONFLICT (\"source\") DO UPDATE "
                        + "SET \"watermark\" = EXCLUDED.\"watermark\", \"run_id\" = EXCLUDED.\"run_id\"");
        assertThat(translated("INSERT OR IGNORE INTO sluice.schedule_runs VALUES (?)"))
                .isEqualTo("INSERT INTO \"sluice_shop\".schedule_runs VALUES (?) ON CONFLICT DO NOTHING");
    }

    @Test
    void aMigrationsContainsIsStrposButAStoresLiteralIsLeftAlone() {
        assertThat(PostgresSql.migration("UPDATE sluice.m SET s = 'x' WHERE contains(reason, 'up to date:');",
                "sluice_shop")).isEqualTo("UPDATE \"sluice_shop\".m SET s = 'x' WHERE (strpos(reason, 'up to date:') > 0);");
        assertThat(translated("INSERT INTO sluice.l VALUES ('SELECT contains(a, ''b''), CAST(x AS DOUBLE)')"))
                .isEqualTo("INSERT INTO \"sluice_shop\".l VALUES ('SELECT contains(a, ''b''), CAST(x AS DOUBLE)')");
    }
}
