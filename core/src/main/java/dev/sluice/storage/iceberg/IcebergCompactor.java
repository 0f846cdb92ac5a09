package dev.sluice.storage.iceberg;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Model;
import dev.sluice.storage.Layout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;

/**
 * Compaction of an Iceberg model ({@code sluice optimize}): in each partition holding several data files below half
 * the target file size, those files are rewritten into target-sized ones, all partitions in one Iceberg rewrite
 * commit (operation {@code replace}: the same rows, other files) inside the caller's transaction. The caller owns
 * the warehouse lock, the run record and the transaction.
 */
public final class IcebergCompactor {
    private final IcebergWriter writer;
    private final long half;

    public IcebergCompactor(IcebergWriter writer, long targetFileSize) {
        this.writer = writer;
        this.half = targetFileSize / 2;
    }

    /** What the current snapshot holds: its data files by partition, and the partitions crowded with small ones. */
    public record Survey(Map<String, List<DataFile>> partitions, int files, long bytes, List<List<DataFile>> crowded) {
        /** Whether some partition holds more than one file below half the target size. */
        public boolean needed() {
            return !crowded.isEmpty();
        }

        /** Why nothing is rewritten. */
        public String unneeded() {
            return String.format(Locale.ROOT, "%d file(s) in %d partition(s) of the Iceberg table; no partition holds "
                    + "more than one file below half the target size", files, partitions.size());
        }

        /** Why the model was rewritten in run {@code runId}. */
        public String rewritten(long runId) {
            return String.format(Locale.ROOT, "%d partition(s) of the Iceberg table held several files below half "
                    + "the target size; rewritten in run %d (one Iceberg rewrite commit)", crowded.size(), runId);
        }
    }

    /** Surveys the current snapshot of a model's table, as the session sees it. */
    public Survey survey(Session session, Model model) {
        Table table = writer.table(session, model);
        List<DataFile> files = table == null ? List.of() : IcebergTables.liveFiles(table, null);
        Map<String, List<DataFile>> partitions = new LinkedHashMap<>();
        for (DataFile file : files) {
            partitions.computeIfAbsent(file.specId() + ":" + file.partition(), k -> new ArrayList<>()).add(file);
        }
        List<List<DataFile>> crowded = new ArrayList<>();
        for (List<DataFile> partition : partitions.values()) {
            List<DataFile> small = partition.stream().filter(file -> file.fileSizeInBytes() < half).toList();
            if (small.size() > 1) {
                crowded.add(small);
            }
        }
        return new Survey(partitions, files.size(), files.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
                crowded);
    }

    /**
     * Rewrites the crowded partitions' small files of the survey into files of the layout's settings, in one
     * Iceberg rewrite commit recorded with run {@code runId} in the session's transaction, and points the model's
     * view at the new snapshot. Returns the commit; nothing is visible until the caller commits.
     */
    public IcebergWriter.Commit rewrite(Session session, Model model, Survey survey, Layout layout, long runId) {
        CatalogTableOperations ops = writer.begin(session, model, runId);
        Table table = new BaseTable(ops, model.qualifiedName());
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        List<IcebergTypes.Column> columns = IcebergTypes.columns(session, Sql.qualified(model.schema(), model.name()),
                IcebergWriter.what(model));
        List<DataFile> removed = new ArrayList<>();
        List<DataFile> added = new ArrayList<>();
        for (int i = 0; i < survey.crowded().size(); i++) {
            List<DataFile> group = survey.crowded().get(i);
            removed.addAll(group);
            String rows = "(" + IcebergTables.read(session, columns, group) + ") AS compacted";
            added.addAll(writer.write(session, rows, columns, table, layout, group.stream()
                    .mapToLong(DataFile::fileSizeInBytes).sum(), model, runId, "compacted_" + i, mapping, ops.io()));
        }
        RewriteFiles rewrite = table.newRewrite();
        removed.forEach(rewrite::deleteFile);
        added.forEach(rewrite::addFile);
        rewrite.validateFromSnapshot(table.currentSnapshot().snapshotId());
        rewrite.commit();
        return writer.published(session, model, ops, columns, added, removed);
    }
}
