package dev.sluice.storage.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.StorageSpec;
import dev.sluice.storage.Layout;
import dev.sluice.storage.Partition;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class IcebergLayoutTest {
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "region", Types.StringType.get()),
            Types.NestedField.optional(2, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(3, "paid", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "ratio", Types.DoubleType.get()));

    private static Layout layout(List<Partition> partitions, List<String> sortBy) {
        return new Layout(StorageSpec.Format.ICEBERG, StorageSpec.Codec.ZSTD, 3, partitions, sortBy, 122_880,
                64L << 20, List.of(), 1000, List.of());
    }

    @Test
    void theOptimisersPartitionsBecomeIdentityAndTimeTransforms() {
        PartitionSpec spec = IcebergLayout.spec(SCHEMA, layout(List.of(new Partition("REGION", null),
                new Partition("ts", Partition.Grain.MONTH), new Partition("paid", Partition.Grain.YEAR),
                new Partition("day", Partition.Grain.DAY), new Partition("ratio", null),
                new Partition("missing", null)), List.of()));
        assertThat(spec.fields().stream().map(f -> SCHEMA.findColumnName(f.sourceId()) + " " + f.transform())
                .toList()).containsExactly("region identity", "ts month", "paid year", "day day");
        assertThat(IcebergLayout.spec(SCHEMA, layout(List.of(), List.of())).isUnpartitioned()).isTrue();
    }

    @Test
    void theSortOrderIsAscendingWithNullsLastAndThePropertiesCarryTheFileSettings() {
        SortOrder order = IcebergLayout.sortOrder(SCHEMA, layout(List.of(), List.of("ts", "Region", "gone")));
        assertThat(order.fields().stream().map(f -> SCHEMA.findColumnName(f.sourceId()) + " " + f.direction() + " "
                + f.nullOrder()).toList()).containsExactly("ts ASC " + NullOrder.NULLS_LAST,
                        "region ASC " + NullOrder.NULLS_LAST);
        assertThat(IcebergLayout.sortOrder(SCHEMA, layout(List.of(), List.of())).isUnsorted()).isTrue();
        assertThat(IcebergLayout.properties(layout(List.of(), List.of())))
                .containsEntry(TableProperties.PARQUET_COMPRESSION, "zstd")
                .containsEntry(TableProperties.PARQUET_COMPRESSION_LEVEL, "3")
                .containsEntry(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(64L << 20))
                .containsEntry(TableProperties.FORMAT_VERSION, "2");
    }

    /** The partition values Sluice computes in SQL are those of Iceberg's own transforms, before 1970 too. */
    @Test
    void partitionValuesComputedInSqlAreIcebergsTransforms() {
        Schema schema = new Schema(
                Types.NestedField.optional(1, "ts_a", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(2, "ts_b", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(3, "ts_c", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(4, "paid_a", Types.TimestampType.withZone()),
                Types.NestedField.optional(5, "paid_b", Types.TimestampType.withZone()),
                Types.NestedField.optional(6, "day_a", Types.DateType.get()),
                Types.NestedField.optional(7, "day_b", Types.DateType.get()),
                Types.NestedField.optional(8, "day_c", Types.DateType.get()));
        PartitionSpec spec = PartitionSpec.builderFor(schema).month("ts_a").day("ts_b").year("ts_c").day("paid_a")
                .month("paid_b").identity("day_a").day("day_b").month("day_c").build();
        List<String> values = IcebergLayout.partitionValues(schema, spec);
        List<String> times = List.of("1969-12-31 23:59:59.999999", "1970-01-01 00:00:00", "2024-02-29 23:30:00",
                "2024-12-31 23:59:59", "1900-03-01 00:00:00");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("SET TimeZone = 'America/New_York'");
            for (String time : times) {
                String ts = "TIMESTAMP '" + time + "'";
                String paid = "TIMESTAMPTZ '" + time + "+00'";
                String day = "CAST(" + ts + " AS DATE)";
                List<Object> row = session.query("SELECT " + String.join(", ", values) + " FROM (SELECT " + ts
                        + " AS ts_a, " + ts + " AS ts_b, " + ts + " AS ts_c, " + paid + " AS paid_a, " + paid
                        + " AS paid_b, " + day + " AS day_a, " + day + " AS day_b, " + day + " AS day_c)").values()
                        .get(0);
                LocalDateTime local = LocalDateTime.parse(time.replace(' ', 'T'));
                long micros = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), local);
                int days = (int) local.toLocalDate().toEpochDay();
                List<Object> expected = List.of(
                        apply(Transforms.month(), Types.TimestampType.withoutZone(), micros),
                        apply(Transforms.day(), Types.TimestampType.withoutZone(), micros),
                        apply(Transforms.year(), Types.TimestampType.withoutZone(), micros),
                        apply(Transforms.day(), Types.TimestampType.withZone(), micros),
                        apply(Transforms.month(), Types.TimestampType.withZone(), micros),
                        days,
                        apply(Transforms.day(), Types.DateType.get(), days),
                        apply(Transforms.month(), Types.DateType.get(), days));
                for (int i = 0; i < expected.size(); i++) {
                    Type result = spec.partitionType().fields().get(i).type();
                    assertThat(IcebergLayout.partitionValue(result, row.get(i))).as(time + " " + spec.fields().get(i))
                            .isEqualTo(expected.get(i));
                }
            }
        }
        assertThat(IcebergLayout.partitionValue(Types.StringType.get(), null)).isNull();
        assertThat(IcebergLayout.partitionValue(Types.LongType.get(), 3)).isEqualTo(3L);
        assertThat(IcebergLayout.partitionValue(Types.DecimalType.of(4, 1), "1.5"))
                .isEqualTo(new java.math.BigDecimal("1.5"));
        assertThat(IcebergLayout.partitionValue(Types.BooleanType.get(), true)).isEqualTo(true);
        assertThat(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toLocalDate())
                .isEqualTo(LocalDate.EPOCH);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object apply(Transform transform, Type type, Object value) {
        return transform.bind(type).apply(value);
    }

    @Test
    void duckDbTypesMapToIcebergTypesAndBackThroughTheView() {
        assertThat(IcebergTypes.column("a", "DECIMAL(12,2)", "m").iceberg()).isEqualTo(Types.DecimalType.of(12, 2));
        assertThat(IcebergTypes.column("a", "TIMESTAMP", "m").iceberg()).isEqualTo(Types.TimestampType.withoutZone());
        assertThat(IcebergTypes.column("a", "TIMESTAMP WITH TIME ZONE", "m").iceberg())
                .isEqualTo(Types.TimestampType.withZone());
        IcebergTypes.Column small = IcebergTypes.column("q", "SMALLINT", "m");
        assertThat(small.iceberg()).isEqualTo(Types.IntegerType.get());
        assertThat(IcebergTypes.written(List.of(small))).isEqualTo("CAST(\"q\" AS INTEGER) AS \"q\"");
        assertThat(IcebergTypes.viewed(List.of(small))).isEqualTo("CAST(\"q\" AS SMALLINT) AS \"q\"");
        assertThat(IcebergTypes.column("u", "UBIGINT", "m").iceberg()).isEqualTo(Types.DecimalType.of(20, 0));
        assertThat(IcebergTypes.column("h", "HUGEINT", "m").written()).isEqualTo("DECIMAL(38,0)");
        assertThat(IcebergTypes.column("e", "ENUM('a', 'b')", "m").iceberg()).isEqualTo(Types.StringType.get());
        assertThat(IcebergTypes.column("i", "INTERVAL", "m").written()).isEqualTo("VARCHAR");
        assertThat(IcebergTypes.column("t", "TIMESTAMP_MS", "m").written()).isEqualTo("TIMESTAMP");
        assertThat(IcebergTypes.column("x", "UUID", "m").iceberg()).isEqualTo(Types.UUIDType.get());
        assertThatThrownBy(() -> IcebergTypes.column("tags", "VARCHAR[]", "model m (models/m.sql)"))
                .isInstanceOf(SluiceException.class).hasMessage("Cannot write model m (models/m.sql) as an Iceberg "
                        + "table: column tags has type VARCHAR[], which Sluice does not write to Iceberg (nested and "
                        + "nanosecond types are not mapped); cast it in the model (to VARCHAR, JSON or TIMESTAMP), or "
                        + "use storage: { format: parquet }");
        Schema schema = IcebergTypes.schema(List.of(small, IcebergTypes.column("r", "VARCHAR", "m")));
        assertThat(schema.columns().stream().map(f -> f.fieldId() + " " + f.name() + " " + f.isOptional()).toList())
                .containsExactly("1 q true", "2 r true");
    }

    @Test
    void hugeValuesBeyondTheWidestIcebergDecimalAreRefusedBeforeWriting() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE TABLE t AS SELECT CAST(1 AS HUGEINT) AS h UNION ALL "
                    + "SELECT CAST('170141183460469231731687303715884105727' AS HUGEINT)");
            List<IcebergTypes.Column> columns = IcebergTypes.columns(session, "t", "model m (models/m.sql)");
            assertThatThrownBy(() -> IcebergTypes.checkFits(session, "t", columns, "model m (models/m.sql)"))
                    .isInstanceOf(SluiceException.class).hasMessage("Cannot write model m (models/m.sql) as an "
                            + "Iceberg table: column h (HUGEINT) holds values beyond DECIMAL(38,0) in 1 row(s), the "
                            + "widest exact number Iceberg stores; cast the column to VARCHAR in the model, or keep "
                            + "the model in the warehouse");
            session.execute("DELETE FROM t WHERE h > 1");
            IcebergTypes.checkFits(session, "t", columns, "model m (models/m.sql)");
        }
    }
}
