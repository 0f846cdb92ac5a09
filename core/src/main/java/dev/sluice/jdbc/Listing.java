package dev.sluice.jdbc;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A metadata result built in memory: JDBC's column names for the listing, engine types, rows added in order. */
final class Listing {
    private final List<String> columns;
    private final List<String> types;
    private final List<List<Object>> rows = new ArrayList<>();

    private Listing(List<String> columns, List<String> types) {
        this.columns = columns;
        this.types = types;
    }

    /** A listing whose columns are all text. */
    static Listing of(String... columns) {
        return new Listing(List.of(columns), Collections.nCopies(columns.length, "VARCHAR"));
    }

    static Listing types(List<String> columns, List<String> types) {
        return new Listing(columns, types);
    }

    void add(Object... values) {
        rows.add(Collections.unmodifiableList(Arrays.asList(values)));
    }

    ResultSet result() {
        return ResultSetTarget.of(columns, types, rows);
    }
}
