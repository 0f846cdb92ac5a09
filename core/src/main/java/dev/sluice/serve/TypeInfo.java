package dev.sluice.serve;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;

/**
 * The SQL types the server sends with full fidelity, as Flight SQL's {@code CommandGetXdbcTypeInfo} (JDBC's
 * {@code DatabaseMetaData.getTypeInfo}) lists them: the engine's name, the JDBC type code and what a SQL tool needs
 * to write a literal or a column definition. Types the server sends as text (times, intervals, UUIDs, blobs, nested
 * types) are left out: a client sees them as VARCHAR. Immutable.
 */
final class TypeInfo {
    // java.sql.Types codes, written out: serve sees no java.sql (ArchitectureTest).
    private static final int BOOLEAN = 16;
    private static final int TINYINT = -6;
    private static final int SMALLINT = 5;
    private static final int INTEGER = 4;
    private static final int BIGINT = -5;
    private static final int REAL = 7;
    private static final int DOUBLE = 8;
    private static final int DECIMAL = 3;
    private static final int VARCHAR = 12;
    private static final int DATE = 91;
    private static final int TIMESTAMP = 93;
    private static final int TIMESTAMP_WITH_TIMEZONE = 2014;
    /** JDBC's typeNullable, typeSearchable and typePredBasic. */
    private static final int NULLABLE = 1;
    private static final int SEARCHABLE = 3;
    private static final int BASIC_PREDICATES = 2;

    /**
     * One row of the listing.
     *
     * @param size the precision in digits (characters for dates and times); null for unbounded text
     * @param radix 10 or 2 for numbers, null for the others
     */
    private record Type(String name, int dataType, Integer size, String prefix, String suffix, List<String> params,
            boolean caseSensitive, Integer minimumScale, Integer maximumScale, Integer radix) {
    }

    private static final List<Type> TYPES = List.of(
            new Type("BOOLEAN", BOOLEAN, 1, null, null, null, false, null, null, null),
            new Type("TINYINT", TINYINT, 3, null, null, null, false, 0, 0, 10),
            new Type("SMALLINT", SMALLINT, 5, null, null, null, false, 0, 0, 10),
            new Type("INTEGER", INTEGER, 10, null, null, null, false, 0, 0, 10),
            new Type("BIGINT", BIGINT, 19, null, null, null, false, 0, 0, 10),
            new Type("FLOAT", REAL, 24, null, null, null, false, null, null, 2),
            new Type("DOUBLE", DOUBLE, 53, null, null, null, false, null, null, 2),
            new Type("DECIMAL", DECIMAL, 38, null, null, List.of("precision", "scale"), false, 0, 38, 10),
            new Type("VARCHAR", VARCHAR, null, "'", "'", null, true, null, null, null),
            new Type("DATE", DATE, 10, "DATE '", "'", null, false, null, null, null),
            new Type("TIMESTAMP", TIMESTAMP, 26, "TIMESTAMP '", "'", null, false, 0, 6, null),
            new Type("TIMESTAMP WITH TIME ZONE", TIMESTAMP_WITH_TIMEZONE, 32, "TIMESTAMPTZ '", "'", null, false, 0,
                    6, null))
            .stream().sorted(Comparator.comparingInt(Type::dataType)).toList();

    private TypeInfo() {
    }

    /** Sends the types of JDBC type code {@code dataType} (null: all), ordered by type code as JDBC asks. */
    static void send(Integer dataType, BufferAllocator allocator, ServerStreamListener listener) {
        List<Type> types = TYPES.stream().filter(type -> dataType == null || type.dataType() == dataType).toList();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(Schemas.GET_TYPE_INFO_SCHEMA, allocator)) {
            root.allocateNew();
            for (int i = 0; i < types.size(); i++) {
                write(root, i, types.get(i));
            }
            root.setRowCount(types.size());
            listener.start(root);
            listener.putNext();
            listener.completed();
        }
    }

    private static void write(VectorSchemaRoot root, int row, Type type) {
        text(root, "type_name", row, type.name());
        integer(root, "data_type", row, type.dataType());
        integer(root, "column_size", row, type.size());
        text(root, "literal_prefix", row, type.prefix());
        text(root, "literal_suffix", row, type.suffix());
        ListVector params = (ListVector) root.getVector("create_params");
        if (type.params() == null) {
            params.setNull(row);
        } else {
            UnionListWriter writer = params.getWriter();
            writer.setPosition(row);
            writer.startList();
            for (String param : type.params()) {
                writer.writeVarChar(param);
            }
            writer.endList();
        }
        integer(root, "nullable", row, NULLABLE);
        bit(root, "case_sensitive", row, type.caseSensitive());
        integer(root, "searchable", row, type.dataType() == VARCHAR ? SEARCHABLE : BASIC_PREDICATES);
        bit(root, "unsigned_attribute", row, false);
        bit(root, "fixed_prec_scale", row, false);
        bit(root, "auto_increment", row, false);
        text(root, "local_type_name", row, type.name());
        integer(root, "minimum_scale", row, type.minimumScale());
        integer(root, "maximum_scale", row, type.maximumScale());
        integer(root, "sql_data_type", row, type.dataType());
        integer(root, "datetime_subcode", row, null);
        integer(root, "num_prec_radix", row, type.radix());
        integer(root, "interval_precision", row, null);
    }

    private static void text(VectorSchemaRoot root, String column, int row, String value) {
        VarCharVector vector = (VarCharVector) root.getVector(column);
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void integer(VectorSchemaRoot root, String column, int row, Integer value) {
        IntVector vector = (IntVector) root.getVector(column);
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, value);
        }
    }

    private static void bit(VectorSchemaRoot root, String column, int row, boolean value) {
        ((BitVector) root.getVector(column)).setSafe(row, value ? 1 : 0);
    }
}
