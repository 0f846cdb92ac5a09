package dev.sluice.connect;

import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/** Reads the settings of a {@code type: table} source. */
final class TableConfigParser {
    static final List<String> KEYS = List.of("type", "database", "table", "watermark", "overlap", "key",
            "change_detection", "quality", "pii");

    private TableConfigParser() {
    }

    static SourceSpec.Table parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        String database = config.string("database");
        String table = config.string("table");
        if (database == null || table == null) {
            config.problem(null, "Cannot read %s: a table source needs database: (a DuckDB file relative to the "
                    + "project folder) and table: (schema.table inside it)", what);
            return null;
        }
        String watermark = config.string("watermark");
        // A duration (1 hour) for a time column, a number for an id column.
        String overlap = config.text("overlap");
        List<String> key = config.strings("key");
        SourceSpec.TableDetection detection = config.has("change_detection")
                ? config.choice("change_detection", SourceSpec.TableDetection.class)
                : watermark != null ? SourceSpec.TableDetection.WATERMARK : SourceSpec.TableDetection.FULL;
        if (detection == null) {
            return null;
        }
        if (detection == SourceSpec.TableDetection.WATERMARK && watermark == null) {
            config.problem(null, "Cannot read %s: change_detection: watermark needs watermark: (a monotonic "
                    + "column such as updated_at or an id)", what);
            return null;
        }
        if (detection == SourceSpec.TableDetection.ROW_HASH && key.isEmpty()) {
            config.problem(null, "Cannot read %s: change_detection: row_hash needs key: (the columns identifying "
                    + "a row)", what);
            return null;
        }
        if (overlap != null && detection != SourceSpec.TableDetection.WATERMARK) {
            config.problem("overlap", "Cannot read %s: overlap applies only with a watermark", what);
            return null;
        }
        Path file = config.path("database");
        return file == null ? null
                : new SourceSpec.Table(file.toString(), table, detection, watermark, overlap, key);
    }
}
