package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code sluice query} prints rows: {@code text} (aligned columns), {@code csv} or {@code json}. */
enum ResultFormat {
    text, csv, json;

    /**
     * The format named {@code name}; {@code table}, its name before every command said {@code text}, still works.
     */
    static ResultFormat named(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        if (key.equals("table")) {
            return text;
        }
        for (ResultFormat format : values()) {
            if (format.name().equals(key)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Cannot print rows as '" + name + "': use --format text, csv or json");
    }

    String render(QueryResult result) {
        return switch (this) {
            case text -> table(result);
            case csv -> csv(result);
            case json -> json(result);
        };
    }

    private static String table(QueryResult result) {
        int[] widths = new int[result.columns().size()];
        List<List<String>> cells = new ArrayList<>();
        cells.add(result.columns());
        for (List<Object> row : result.rows()) {
            cells.add(row.stream().map(v -> v == null ? "NULL" : v.toString()).toList());
        }
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            List<String> row = cells.get(r);
            for (int i = 0; i < row.size(); i++) {
                text.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[i]) + "s", row.get(i)));
            }
            text.append(System.lineSeparator());
            if (r == 0) {
                for (int i = 0; i < widths.length; i++) {
                    text.append(i == 0 ? "" : "-+-").append("-".repeat(Math.max(1, widths[i])));
                }
                text.append(System.lineSeparator());
            }
        }
        text.append("(").append(result.rows().size()).append(" rows)").append(System.lineSeparator());
        return text.toString();
    }

    private static String csv(QueryResult result) {
        StringBuilder text = new StringBuilder();
        text.append(String.join(",", result.columns().stream().map(ResultFormat::csvCell).toList()));
        text.append(System.lineSeparator());
        for (List<Object> row : result.rows()) {
            text.append(String.join(",", row.stream().map(v -> v == null ? "" : csvCell(v.toString())).toList()));
            text.append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String csvCell(String value) {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private static String json(QueryResult result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                object.put(result.columns().get(i), row.get(i));
            }
            rows.add(object);
        }
        try {
            return new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(rows) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rows of plain values always serialise", e);
        }
    }
}
