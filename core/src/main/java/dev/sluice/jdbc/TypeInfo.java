package dev.sluice.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.List;

/** {@code DatabaseMetaData.getTypeInfo}: the warehouse's column types, in JDBC's shape, ordered by DATA_TYPE. */
final class TypeInfo {
    private static final List<String> NAMES = List.of("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT",
            "HUGEINT", "REAL", "DOUBLE", "DECIMAL", "VARCHAR", "BLOB", "DATE", "TIME", "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE", "INTERVAL", "UUID");

    private TypeInfo() {
    }

    static ResultSet result() {
        Listing listing = Listing.types(List.of("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX",
                "LITERAL_SUFFIX", "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE",
                "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE",
                "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "NUM_PREC_RADIX"), List.of("VARCHAR", "INTEGER", "INTEGER",
                "VARCHAR", "VARCHAR", "VARCHAR", "SMALLINT", "BOOLEAN", "SMALLINT", "BOOLEAN", "BOOLEAN", "BOOLEAN",
                "VARCHAR", "SMALLINT", "SMALLINT", "INTEGER", "INTEGER", "INTEGER"));
        NAMES.stream().map(SqlType::of).sorted(Comparator.comparingInt(SqlType::code)).forEach(type -> {
            boolean text = type.javaClass() == String.class;
            boolean quoted = text || type.javaClass().getName().startsWith("java.sql")
                    || type.code() == java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
            boolean number = Number.class.isAssignableFrom(type.javaClass());
            listing.add(type.name(), type.code(), type.precision() == 0 ? null : type.precision(),
                    quoted ? "'" : null, quoted ? "'" : null, type.code() == java.sql.Types.DECIMAL
                    ? "precision,scale" : null, (short) DatabaseMetaData.typeNullable, text,
                    (short) DatabaseMetaData.typeSearchable, !type.signed(), false, false, type.name(),
                    (short) 0, (short) (type.code() == java.sql.Types.DECIMAL ? 38 : 0), null, null,
                    number ? 10 : null);
        });
        return listing.result();
    }
}
