package dev.sluice.storage.iceberg;

import dev.sluice.engine.Sql;
import dev.sluice.project.StorageSpec;
import dev.sluice.storage.Layout;
import dev.sluice.storage.Partition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The storage optimiser's layout as Iceberg table settings: its partitions as a partition spec (a column's own
 * values as an identity transform, a time grain as Iceberg's day, month or year transform), its sort order as the
 * table's sort order, its codec and target file size as table properties. Also how Sluice computes a partition's
 * value from a row in SQL, the value Iceberg's transform gives: the data files are grouped by it when DuckDB writes
 * them, and each data file's partition is read back from its rows.
 */
final class IcebergLayout {
    /** The prefix of the extra columns the data files are grouped by when written; never in the files. */
    static final String GROUP = "_sluice_part_";

    private IcebergLayout() {
    }

    /**
     * The partition spec of the layout over {@code schema}. An identity partition on a type Iceberg partitions
     * awkwardly (floating point, time of day, timestamps: a timestamp's own values make a partition per row) is
     * left out: the optimiser picks grains for times.
     */
    static PartitionSpec spec(Schema schema, Layout layout) {
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        for (Partition partition : layout.partitions()) {
            Types.NestedField field = schema.caseInsensitiveFindField(partition.column());
            if (field == null) {
                continue;
            }
            if (partition.grain() == null) {
                if (identityType(field.type())) {
                    spec.identity(field.name());
                }
            } else if (timeType(field.type())) {
                switch (partition.grain()) {
                    case DAY -> spec.day(field.name());
                    case MONTH -> spec.month(field.name());
                    case YEAR -> spec.year(field.name());
                }
            }
        }
        return spec.build();
    }

    private static boolean identityType(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN, INTEGER, LONG, STRING, DATE, DECIMAL -> true;
            default -> false;
        };
    }

    private static boolean timeType(Type type) {
        return type.typeId() == Type.TypeID.DATE || type.typeId() == Type.TypeID.TIMESTAMP;
    }

    /** The sort order of the layout: its columns ascending, nulls last (as DuckDB's ORDER BY writes them). */
    static SortOrder sortOrder(Schema schema, Layout layout) {
        if (layout.sortBy().isEmpty()) {
            return SortOrder.unsorted();
        }
        SortOrder.Builder order = SortOrder.builderFor(schema);
        for (String column : layout.sortBy()) {
            Types.NestedField field = schema.caseInsensitiveFindField(column);
            if (field != null) {
                order.asc(field.name(), NullOrder.NULLS_LAST);
            }
        }
        return order.build();
    }

    /** The table properties of the layout: Parquet data files, their codec and level, and the target file size. */
    static Map<String, String> properties(Layout layout) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableProperties.FORMAT_VERSION, "2");
        properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        StorageSpec.Codec codec = layout.codec() == null ? StorageSpec.Codec.ZSTD : layout.codec();
        properties.put(TableProperties.PARQUET_COMPRESSION, codec.name().toLowerCase(Locale.ROOT));
        if (layout.level() != null) {
            properties.put(TableProperties.PARQUET_COMPRESSION_LEVEL, layout.level().toString());
        }
        properties.put(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(layout.fileSize()));
        properties.put("sluice.row-group-rows", Long.toString(layout.rowGroupSize()));
        return properties;
    }

    /**
     * Per partition field of {@code spec}, the SQL computing from a row the value Iceberg stores for it: days,
     * months or years since 1970 (in UTC for a timestamp with time zone), or an identity column's value as Iceberg
     * holds it (a date as days since 1970).
     */
    static List<String> partitionValues(Schema schema, PartitionSpec spec) {
        List<String> values = new ArrayList<>();
        for (PartitionField field : spec.fields()) {
            Types.NestedField source = schema.findField(field.sourceId());
            String column = Sql.identifier(source.name());
            String transform = field.transform().toString();
            String date = source.type().typeId() == Type.TypeID.DATE ? column
                    : source.type() instanceof Types.TimestampType timestamp && timestamp.shouldAdjustToUTC()
                            ? "CAST(timezone('UTC', " + column + ") AS DATE)" : "CAST(" + column + " AS DATE)";
            values.add(switch (transform) {
                case "identity" -> source.type().typeId() == Type.TypeID.DATE
                        ? "datediff('day', DATE '1970-01-01', " + column + ")" : column;
                case "day" -> "datediff('day', DATE '1970-01-01', " + date + ")";
                case "month" -> "((year(" + date + ") - 1970) * 12 + month(" + date + ") - 1)";
                case "year" -> "(year(" + date + ") - 1970)";
                default -> throw new IllegalStateException("Sluice writes no " + transform + " partition");
            });
        }
        return values;
    }

    /** A partition value as read from DuckDB, in the Java type Iceberg holds for the field's result type. */
    static Object partitionValue(Type type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.typeId()) {
            case INTEGER, DATE -> ((Number) value).intValue();
            case LONG -> ((Number) value).longValue();
            case STRING -> value.toString();
            case BOOLEAN -> value;
            case DECIMAL -> value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
            default -> throw new IllegalStateException("Sluice writes no partition of type " + type);
        };
    }

    /** The engine's file settings of the layout (codec, level, row groups): Parquet's, whatever the table. */
    static String fileSettings(Layout layout) {
        return dev.sluice.storage.LakeWriter.fileOptions(layout);
    }
}
