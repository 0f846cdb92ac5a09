package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the effect of a layout against two baselines: the table as CSV, and as DuckDB's default Parquet (snappy,
 * default row groups, no sort, no partitions). Bytes of each, and the median time of a filter on the layout's first
 * sort key and of a full aggregate over the two Parquet forms. Writes only under a scratch folder it deletes.
 */
public final class Measurement {
    /** Layout names, as stored in {@code sluice.storage_effects}. */
    public static final String CSV = "csv";
    public static final String PARQUET_DEFAULT = "parquet_default";
    public static final String CHOSEN = "chosen";
    /** The chosen layout of a warehouse table: the table itself, its bytes counted in whole storage blocks. */
    public static final String WAREHOUSE = "warehouse";

    private Measurement() {
    }

    /**
     * The measured size and query times of one layout of the table.
     *
     * @param filterMs median milliseconds of the filter query, or null where not timed (CSV)
     * @param aggregateMs median milliseconds of the full aggregate, or null where not timed
     */
    public record Effect(String layout, long bytes, Double filterMs, Double aggregateMs) {
        public Effect {
            requireNonNull(layout, "layout");
        }
    }

    /** The three effects (csv, parquet_default, chosen) of writing {@code relation} as Parquet in {@code layout}. */
    public static List<Effect> measure(Session session, String relation, Layout layout, Path scratch,
            int repetitions) {
        return measure(session, relation, layout, scratch, repetitions, null);
    }

    /**
     * The three effects of a warehouse table {@code qualifiedName} already published in {@code layout}: the chosen
     * form is the table itself, its bytes the blocks it occupies.
     */
    public static List<Effect> measureWarehouse(Session session, String relation, String qualifiedName, Layout layout,
            Path scratch, int repetitions) {
        return measure(session, relation, layout, scratch, repetitions, qualifiedName);
    }

    private static List<Effect> measure(Session session, String relation, Layout layout, Path scratch,
            int repetitions, String warehouseTable) {
        try {
            LakeWriter.deleteTree(scratch);
            Files.createDirectories(scratch);
            Path csv = scratch.resolve("table.csv");
            session.execute(session.dialect().copyToCsv("SELECT * FROM " + relation, csv));
            Path plain = scratch.resolve("default.parquet");
            session.execute(session.dialect().copyToParquet("SELECT * FROM " + relation, plain,
                    Dialect.ParquetOptions.defaults()));
            Path chosen = scratch.resolve("chosen");
            long chosenBytes;
            String chosenScan;
            if (warehouseTable == null) {
                LakeWriter.copy(session, relation, layout, chosen, "data");
                chosenBytes = LakeWriter.bytes(chosen);
                chosenScan = LakeWriter.scan(session.dialect(), chosen, layout);
            } else {
                chosenBytes = blocksOnDisk(session, warehouseTable);
                chosenScan = relation;
            }

            List<List<Object>> columns = session.query("DESCRIBE " + relation).values();
            String key = layout.sortBy().isEmpty() ? (String) columns.get(0).get(0) : layout.sortBy().get(0);
            String type = columns.stream().filter(c -> ((String) c.get(0)).equalsIgnoreCase(key)).findFirst()
                    .map(c -> (String) c.get(1)).orElseThrow();
            Object probe = session.query("SELECT CAST(quantile_disc(" + Sql.identifier(key) + ", 0.5) AS VARCHAR) "
                    + "FROM " + relation).single();
            String filter = probe == null ? Sql.identifier(key) + " IS NULL"
                    : Sql.identifier(key) + " = CAST(" + Sql.string((String) probe) + " AS " + type + ")";
            String plainScan = session.dialect().readParquet(Sql.string(plain.toString()));
            List<Effect> effects = List.of(
                    new Effect(CSV, Files.size(csv), null, null),
                    new Effect(PARQUET_DEFAULT, Files.size(plain), time(session, filterQuery(plainScan, filter),
                            repetitions), time(session, aggregateQuery(plainScan), repetitions)),
                    new Effect(warehouseTable == null ? CHOSEN : WAREHOUSE, chosenBytes, time(session, filterQuery(chosenScan, filter),
                            repetitions), time(session, aggregateQuery(chosenScan), repetitions)));
            LakeWriter.deleteTree(scratch);
            return effects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A point filter on the sort key that reads every column of the rows it keeps. */
    static String filterQuery(String scan, String filter) {
        return "SELECT count(*), sum(hash(COLUMNS(*))) FROM " + scan + " WHERE " + filter;
    }

    /**
     * A full aggregate over every value of every column (a hash of each, so that no Parquet min/max statistic can
     * answer it without reading the data).
     */
    static String aggregateQuery(String scan) {
        return "SELECT count(*), sum(hash(COLUMNS(*))) FROM " + scan;
    }

    /** Median milliseconds of {@code repetitions} runs of a query, after one warm-up run. */
    static double time(Session session, String sql, int repetitions) {
        session.query(sql);
        double[] times = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            session.query(sql);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return repetitions % 2 == 1 ? times[repetitions / 2]
                : (times[repetitions / 2 - 1] + times[repetitions / 2]) / 2;
    }

    /** Rows for {@code sluice.storage_effects}. */
    public static List<List<Object>> rows(long runId, String model, List<Effect> effects) {
        List<List<Object>> rows = new ArrayList<>();
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        for (Effect effect : effects) {
            rows.add(Arrays.asList(runId, model, effect.layout(), effect.bytes(), effect.filterMs(),
                    effect.aggregateMs(), now));
        }
        return rows;
    }

    /**
     * The bytes of the storage blocks a warehouse table ({@code schema.name}) takes, counted in whole blocks; 0 while
     * its rows are still only in DuckDB's write-ahead log (blocks are written at checkpoints).
     */
    public static long blocksOnDisk(Session session, String table) {
        return session.query(session.dialect().blocksOnDiskQuery(), table).singleLong();
    }
}
