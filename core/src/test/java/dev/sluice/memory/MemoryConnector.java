package dev.sluice.memory;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.connect.Detector;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.TrackedRows;
import dev.sluice.connect.WholeRead;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code type: memory}, a connector that exists only in the tests: a list of rows held in the JVM
 * ({@link MemoryRows}), tracked by a watermark column, or read whole without one. It uses nothing but the connector
 * SPI: registered in {@code src/test/resources/META-INF/services}, with no line of exec, plan, lineage or quality
 * written for it.
 *
 * <pre>
 * raw.events:
 *   type: memory
 *   list: events                      # the name of the list in MemoryRows
 *   columns: { id: BIGINT, amount: DOUBLE, updated_at: TIMESTAMP }
 *   watermark: updated_at             # optional: without it, every run reads the whole list
 * </pre>
 */
public final class MemoryConnector implements SourceConnector {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ,()]*");

    /** The settings of a memory source. */
    record Spec(String list, Map<String, String> columns, String watermark) implements SourceSpec {
        Spec {
            columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }

        @Override
        public String type() {
            return "memory";
        }
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        config.checkKeys(List.of("list", "columns", "watermark"));
        String list = config.string("list");
        String watermark = config.string("watermark");
        if (list == null) {
            config.problem(null, "Cannot read %s: a memory source needs list: (the name of its rows)", config.what());
            return null;
        }
        Map<String, String> columns = new LinkedHashMap<>();
        if (config.plain("columns") instanceof Map<?, ?> declared && !declared.isEmpty()) {
            declared.forEach((name, type) -> columns.put(String.valueOf(name), String.valueOf(type)));
        } else {
            config.problem("columns", "Cannot read %s: columns must map each column to its type, such as "
                    + "{ id: BIGINT }", config.what());
            return null;
        }
        for (Map.Entry<String, String> column : columns.entrySet()) {
            if (!TYPE.matcher(column.getValue()).matches()) {
                config.problem("columns", "Cannot read %s: '%s' is not a type (column %s); use a type such as BIGINT",
                        config.what(), column.getValue(), column.getKey());
                return null;
            }
        }
        if (watermark != null && !columns.containsKey(watermark)) {
            config.problem("watermark", "Cannot read %s: watermark '%s' is not one of its columns %s; set it to the "
                    + "column that grows", config.what(), watermark, String.join(", ", columns.keySet()));
            return null;
        }
        return new Spec(list, columns, watermark);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return ((Spec) spec).watermark() != null;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        session.execute("CREATE OR REPLACE TABLE " + relation + " (" + columns((Spec) source.spec()) + ")");
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        if (!tracked(source.spec())) {
            return WholeRead.load(source, rules, context, session -> open(session, source));
        }
        return TrackedRows.load(source, rules, context, tracking(source), session -> open(session, source));
    }

    @Override
    public SourceChange detect(Source source, Detector context) {
        return TrackedRows.detect(source, context, tracking(source), session -> open(session, source));
    }

    private static TrackedRows.Tracking tracking(Source source) {
        return new TrackedRows.Tracking(TrackedRows.Detection.WATERMARK, ((Spec) source.spec()).watermark(), null,
                List.of());
    }

    /**
     * Loads the rows into a temporary table of the session through the engine's bulk appender and names it: as
     * text (the list holds values of any Java type, written as SQL reads them), then cast to the declared types.
     */
    private static String open(Session session, Source source) {
        Spec spec = (Spec) source.spec();
        List<String> text = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        spec.columns().forEach((name, type) -> {
            text.add(Sql.identifier(name) + " VARCHAR");
            casts.add("CAST(" + Sql.identifier(name) + " AS " + type + ") AS " + Sql.identifier(name));
        });
        session.execute("CREATE OR REPLACE TEMP TABLE memory_text (" + String.join(", ", text) + ")");
        // Temporary tables are found by the schema name main when no table of main has their name.
        try (Appender appender = session.appender("main", "memory_text")) {
            for (List<Object> row : MemoryRows.of(spec.list())) {
                appender.append(row.stream().map(value -> value == null ? null : value.toString()).toList());
            }
        }
        session.execute("CREATE OR REPLACE TEMP TABLE memory_rows AS SELECT " + String.join(", ", casts)
                + " FROM memory_text");
        session.execute("DROP TABLE memory_text");
        return "memory_rows";
    }

    private static String columns(Spec spec) {
        List<String> columns = new ArrayList<>();
        spec.columns().forEach((name, type) -> columns.add(Sql.identifier(name) + " " + type));
        return String.join(", ", columns);
    }
}
