package dev.sluice.storage.iceberg;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;

/** Reading an Iceberg table Sluice wrote: the data files of a snapshot, and the view over them. */
final class IcebergTables {
    private IcebergTables() {
    }

    /** The data files of the table's current snapshot, or of snapshot {@code snapshotId} when not null. */
    static List<DataFile> liveFiles(Table table, Long snapshotId) {
        if (table.currentSnapshot() == null && snapshotId == null) {
            return List.of();
        }
        TableScan scan = snapshotId == null ? table.newScan() : table.newScan().useSnapshot(snapshotId);
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                files.add(task.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(java.util.Comparator.comparing(DataFile::location));
        return files;
    }

    /** The table's sort order as column names, outermost first. */
    static List<String> sortColumns(Table table) {
        List<String> columns = new ArrayList<>();
        for (SortField field : table.sortOrder().fields()) {
            columns.add(table.schema().findColumnName(field.sourceId()));
        }
        return columns;
    }

    /** An SQL list of file paths. */
    static String list(List<Path> files) {
        return "[" + String.join(", ", files.stream().map(f -> Sql.string(f.toAbsolutePath().normalize().toString()))
                .toList()) + "]";
    }

    /**
     * A query reading {@code files} back as the model's columns; no rows, with the columns' types, when there are
     * no files.
     */
    static String read(Session session, List<IcebergTypes.Column> columns, List<DataFile> files) {
        if (files.isEmpty()) {
            return "SELECT " + String.join(", ", columns.stream().map(c -> "CAST(NULL AS " + c.type() + ") AS "
                    + Sql.identifier(c.name())).toList()) + " WHERE false";
        }
        return "SELECT " + IcebergTypes.viewed(columns) + " FROM " + session.dialect().readParquet(list(files.stream()
                .map(file -> LocalFileIO.path(file.location())).toList()), false);
    }

    /** Points {@code view} (qualified, quoted) at the files, in the session's transaction. */
    static void switchView(Session session, String view, List<IcebergTypes.Column> columns, List<DataFile> files) {
        session.execute("CREATE OR REPLACE VIEW " + view + " AS " + read(session, columns, files));
    }
}
