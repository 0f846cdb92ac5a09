package dev.sluice.engine.spark;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How the Spark tests compare a relation's rows on DuckDB and on Spark. */
public final class SameRows {
    private SameRows() {
    }

    /**
     * Rows sorted, with values compared as values: numbers by their decimal value (DuckDB sums integers to HUGEINT,
     * Spark to BIGINT), and a midnight timestamp as its day (Spark's date_trunc of a date is a timestamp, DuckDB's a
     * date: the one type the two engines give differently here).
     */
    public static List<List<Object>> normal(List<List<Object>> rows) {
        List<List<Object>> normal = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> values = new ArrayList<>();
            for (Object value : row) {
                if (value instanceof Number number) {
                    values.add(new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
                } else if (value instanceof LocalDateTime time && time.toLocalTime().toSecondOfDay() == 0) {
                    values.add(time.toLocalDate());
                } else {
                    values.add(value);
                }
            }
            normal.add(values);
        }
        normal.sort(Comparator.comparing(Object::toString));
        return normal;
    }
}
