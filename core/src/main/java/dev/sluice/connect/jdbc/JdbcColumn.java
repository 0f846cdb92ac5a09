package dev.sluice.connect.jdbc;

import static java.util.Objects.requireNonNull;

/**
 * One column of a JDBC source as Sluice reads it: what the source database is asked for, how the value is taken
 * from the driver, the type it is staged with in the warehouse and the expression that gives its final type there.
 * Types the warehouse's bulk loader cannot take directly (bytea, json, arrays, time zones) travel as text or UTC and
 * are converted by the warehouse, in one statement over the staged rows.
 *
 * @param name the column's name
 * @param select what the source is asked for (the quoted column, or a conversion of it in the source's SQL)
 * @param read how the driver's value is taken
 * @param stageType the warehouse type of the staged column
 * @param finish the warehouse expression over the staged (quoted) column {@code %s} giving the final value
 * @param type the final warehouse type
 */
record JdbcColumn(String name, String select, Read read, String stageType, String finish, String type) {
    JdbcColumn {
        requireNonNull(name, "name");
        requireNonNull(select, "select");
        requireNonNull(read, "read");
        requireNonNull(stageType, "stageType");
        requireNonNull(finish, "finish");
        requireNonNull(type, "type");
    }

    /** How a value is taken from the driver. */
    enum Read {
        BOOLEAN, SHORT, INT, LONG, FLOAT, DOUBLE,
        /** A decimal the warehouse type holds whatever its value (the source's own precision and scale). */
        DECIMAL,
        /** A decimal of a wider or unknown precision: each value is checked to fit without losing a digit. */
        DECIMAL_CHECKED,
        TEXT, DATE, TIMESTAMP, UUID
    }

    /** A column staged with its final type: no conversion in the warehouse. */
    static JdbcColumn direct(String name, String select, Read read, String type) {
        return new JdbcColumn(name, select, read, type, "%s", type);
    }

    /** True when the staged value is already the final one. */
    boolean direct() {
        return finish.equals("%s");
    }
}
