package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.ErrorCode;
import dev.sluice.QueryResult;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
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

    /**
     * Rows the text format reads ahead to align its columns; a longer result keeps those widths (a wider value later
     * widens only its own cell), so that rows print as they come and no result is held whole.
     */
    static final int ALIGNED_ROWS = 1000;

    String render(QueryResult result) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
        write(result.columns(), result.rows().iterator(), out);
        out.flush();
        return text.toString();
    }

    /** Prints {@code rows} (of {@code columns}) to {@code out} as they come. */
    void write(List<String> columns, Iterator<List<Object>> rows, PrintWriter out) {
        switch (this) {
            case text -> table(columns, rows, out);
            case csv -> csv(columns, rows, out);
            case json -> json(columns, rows, out);
        }
        out.flush();
    }

    private static void table(List<String> columns, Iterator<List<Object>> rows, PrintWriter out) {
        int[] widths = new int[columns.size()];
        List<List<String>> ahead = new ArrayList<>();
        ahead.add(columns);
        while (ahead.size() <= ALIGNED_ROWS && rows.hasNext()) {
            ahead.add(cells(rows.next()));
        }
        for (List<String> row : ahead) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        long count = 0;
        for (int r = 0; r < ahead.size(); r++) {
            line(ahead.get(r), widths, out);
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    rule.append(i == 0 ? "" : "-+-").append("-".repeat(Math.max(1, widths[i])));
                }
                out.print(rule.append(System.lineSeparator()));
            } else {
                count++;
            }
        }
        while (rows.hasNext()) {
            line(cells(rows.next()), widths, out);
            count++;
        }
        out.print("(" + count + " rows)" + System.lineSeparator());
    }

    private static List<String> cells(List<Object> row) {
        return row.stream().map(v -> v == null ? "NULL" : v.toString()).toList();
    }

    private static void line(List<String> row, int[] widths, PrintWriter out) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            text.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[i]) + "s", row.get(i)));
        }
        out.print(text.append(System.lineSeparator()));
    }

    private static void csv(List<String> columns, Iterator<List<Object>> rows, PrintWriter out) {
        out.print(String.join(",", columns.stream().map(ResultFormat::csvCell).toList()) + System.lineSeparator());
        while (rows.hasNext()) {
            out.print(String.join(",", rows.next().stream().map(v -> v == null ? "" : csvCell(v.toString())).toList())
                    + System.lineSeparator());
        }
    }

    private static String csvCell(String value) {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** A JSON array of one object per row, written element by element. */
    private static void json(List<String> columns, Iterator<List<Object>> rows, PrintWriter out) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (SequenceWriter array = mapper.writerWithDefaultPrettyPrinter().writeValuesAsArray(out)) {
            while (rows.hasNext()) {
                List<Object> row = rows.next();
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    object.put(columns.get(i), row.get(i));
                }
                array.write(object);
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot print the rows as JSON: %s", e.getMessage());
        }
        out.print(System.lineSeparator());
    }
}
