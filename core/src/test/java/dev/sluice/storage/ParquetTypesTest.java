package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Parquet form of DuckDB types: lossy ones replaced at any depth, names and quoted text left alone. */
class ParquetTypesTest {
    @Test
    void lossyTypesAreReplacedAtAnyDepthAndFieldNamesAndEnumValuesAreNot() {
        assertThat(ParquetTypes.storedType("HUGEINT")).isEqualTo("DECIMAL(38,0)");
        assertThat(ParquetTypes.storedType("UHUGEINT[]")).isEqualTo("DECIMAL(38,0)[]");
        assertThat(ParquetTypes.storedType("INTERVAL")).isEqualTo("VARCHAR");
        assertThat(ParquetTypes.storedType("TIME WITH TIME ZONE")).isEqualTo("VARCHAR");
        assertThat(ParquetTypes.storedType("TIMETZ[3]")).isEqualTo("VARCHAR[3]");
        assertThat(ParquetTypes.storedType("TIME")).isEqualTo("TIME");
        assertThat(ParquetTypes.storedType("STRUCT(hugeint HUGEINT, \"interval\" INTERVAL[], \"a \"\" b\" INTEGER)"))
                .isEqualTo("STRUCT(hugeint DECIMAL(38,0), \"interval\" VARCHAR[], \"a \"\" b\" INTEGER)");
        assertThat(ParquetTypes.storedType("MAP(VARCHAR, STRUCT(\"time\" TIME WITH TIME ZONE, n BIGINT))"))
                .isEqualTo("MAP(VARCHAR, STRUCT(\"time\" VARCHAR, n BIGINT))");
        assertThat(ParquetTypes.storedType("UNION(interval INTERVAL, s VARCHAR)"))
                .isEqualTo("UNION(interval VARCHAR, s VARCHAR)");
        assertThat(ParquetTypes.storedType("ENUM('HUGEINT', 'it''s')")).isEqualTo("ENUM('HUGEINT', 'it''s')");
        assertThat(ParquetTypes.storedType("DECIMAL(18,3)")).isEqualTo("DECIMAL(18,3)");
    }

    @Test
    void aColumnIsRewrittenOnlyWhenParquetWouldNotKeepItsType() {
        assertThat(new ParquetTypes.Column("a", "HUGEINT").rewritten()).isTrue();
        assertThat(new ParquetTypes.Column("a", "ENUM('x')").rewritten()).isFalse();
        assertThat(ParquetTypes.written(java.util.List.of(new ParquetTypes.Column("odd name", "INTERVAL"),
                new ParquetTypes.Column("n", "BIGINT")))).isEqualTo("CAST(\"odd name\" AS VARCHAR) AS \"odd name\", \"n\"");
    }
}
