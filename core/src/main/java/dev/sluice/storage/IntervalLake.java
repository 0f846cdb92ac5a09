package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Parquet lake output of a windowed model: one hive partition ({@code _sluice_partition=2024-01-05}) per day,
 * month or year of its event time, coarser than its intervals so that a year of hourly intervals makes 365 files,
 * not 8,760. A rebuild writes a new version folder in which only the partitions holding rebuilt intervals are
 * written; every other partition's files are hard links to the current version's. The model's view is switched to
 * the new version in the publishing transaction, so readers never see a half-written table.
 */
public final class IntervalLake {
    static final String PARTITION = "_sluice_partition";

    /** How the lake of a windowed model is cut: the partition unit and its SQL and Java forms. */
    public enum Unit {
        DAY("day", "%Y-%m-%d", DateTimeFormatter.ofPattern("yyyy-MM-dd")),
        MONTH("month", "%Y-%m", DateTimeFormatter.ofPattern("yyyy-MM")),
        YEAR("year", "%Y", DateTimeFormatter.ofPattern("yyyy"));

        private final String sql;
        private final String format;
        private final DateTimeFormatter formatter;

        Unit(String sql, String format, DateTimeFormatter formatter) {
            this.sql = sql;
            this.format = format;
            this.formatter = formatter;
        }

        /** The partition a moment falls in, as its folder names it. */
        String key(LocalDateTime time) {
            return formatter.format(time);
        }

        LocalDateTime truncate(LocalDateTime time) {
            return switch (this) {
                case DAY -> time.toLocalDate().atStartOfDay();
                case MONTH -> time.toLocalDate().withDayOfMonth(1).atStartOfDay();
                case YEAR -> time.toLocalDate().withDayOfYear(1).atStartOfDay();
            };
        }

        LocalDateTime next(LocalDateTime start) {
            return switch (this) {
                case DAY -> start.plusDays(1);
                case MONTH -> start.plusMonths(1);
                case YEAR -> start.plusYears(1);
            };
        }
    }

    private IntervalLake() {
    }

    /**
     * The partition unit for intervals of a grain: days for intervals shorter than a day, months for days and weeks,
     * years for months and years; always coarser than one interval, so that partitions do not become small files.
     *
     * @param grainSeconds the interval length in seconds, 0 for calendar grains (months, years)
     */
    public static Unit unitFor(long grainSeconds) {
        if (grainSeconds == 0) {
            return Unit.YEAR;
        }
        return grainSeconds < 86_400 ? Unit.DAY : Unit.MONTH;
    }

    /** The partitions that hold any moment of {@code [from, to)}. */
    public static Set<String> partitions(Unit unit, LocalDateTime from, LocalDateTime to) {
        Set<String> keys = new TreeSet<>();
        for (LocalDateTime start = unit.truncate(from); start.isBefore(to); start = unit.next(start)) {
            keys.add(unit.key(start));
        }
        return keys;
    }

    /**
     * Writes the version folder {@code target} (claimed, not existing) of the lake from {@code table} (every row of
     * the model) and points {@code view} at it, naming the files relative to {@code projectRoot}.
     *
     * @param timeSql the model's event time (UTC) as SQL over the table's columns
     * @param rewritten the partitions to write from the table; null to write every partition (a first or full build)
     * @param current the version the view reads now, whose other partitions are linked; null when there is none
     * @param options the COPY options of the files, such as {@code COMPRESSION zstd}
     * @param what the model and its file, for messages
     * @return the new version folder; delete the older ones once the transaction has committed
     */
    public static Path publish(Session session, String table, String view, Path target, Path projectRoot, Unit unit,
            String timeSql, Set<String> rewritten, Path current, String options, String what) {
        List<ParquetTypes.Column> columns = ParquetTypes.columns(session, table);
        ParquetTypes.checkFits(session, table, columns, what);
        String partition = "strftime(date_trunc('" + unit.sql + "', " + timeSql + "), '" + unit.format + "')";
        try {
            Files.createDirectories(target);
            if (current != null && rewritten != null) {
                linkUnchanged(current, target, rewritten);
            }
            Path writing = target.resolve(".writing");
            String filter = rewritten == null ? "" : rewritten.isEmpty() ? " WHERE false" : " WHERE " + partition
                    + " IN (" + String.join(", ", rewritten.stream().map(Sql::literal).toList()) + ")";
            session.execute(session.dialect().copyToParquet("SELECT " + ParquetTypes.written(columns) + ", "
                    + partition + " AS " + PARTITION + " FROM " + table + filter, writing,
                    new Dialect.ParquetOptions(options, List.of(PARTITION))));
            // no rows, no partition folders: DuckDB then writes nothing at all
            if (Files.isDirectory(writing)) {
                try (Stream<Path> written = Files.list(writing)) {
                    for (Path folderWritten : written.toList()) {
                        Files.move(folderWritten, target.resolve(folderWritten.getFileName()));
                    }
                }
                Files.delete(writing);
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot write the lake version %s: %s; check the "
                    + "folder's permissions or set storage.path", target, e.getMessage());
        }
        String scan = session.dialect().readParquet(session.dialect().projectFile(projectRoot,
                target.resolve("*").resolve("*.parquet")), false);
        // without files (no rows yet) the view reads the empty table, which has the model's types already
        String select = hasFiles(target) ? ParquetTypes.viewed(columns, ParquetTypes.scanned(session, scan)) + " FROM "
                + scan : ParquetTypes.viewed(columns, java.util.Map.of()) + " FROM " + table + " WHERE false";
        session.execute(session.dialect().publishView(view, select));
        return target;
    }

    /** Links the files of every partition of {@code current} that is not rewritten into {@code target}. */
    private static void linkUnchanged(Path current, Path target, Set<String> rewritten) throws IOException {
        if (!Files.isDirectory(current)) {
            return;
        }
        try (Stream<Path> partitions = Files.list(current)) {
            for (Path partition : partitions.filter(Files::isDirectory).toList()) {
                String name = partition.getFileName().toString();
                if (!name.startsWith(PARTITION + "=") || rewritten.contains(name.substring(PARTITION.length() + 1))) {
                    continue;
                }
                Path copy = Files.createDirectories(target.resolve(name));
                try (Stream<Path> files = Files.list(partition)) {
                    for (Path file : files.toList()) {
                        LakeWriter.link(copy.resolve(file.getFileName()), file);
                    }
                }
            }
        }
    }

    private static boolean hasFiles(Path version) {
        try (Stream<Path> files = Files.walk(version)) {
            return files.anyMatch(file -> file.toString().endsWith(".parquet"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
