package dev.sluice.storage.iceberg;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.Table;

/**
 * Time travel in the Iceberg tables Sluice writes: the snapshot a run left current, as the catalog recorded it with
 * the run, and a query over its data files.
 */
public final class IcebergSnapshots {
    private IcebergSnapshots() {
    }

    /**
     * A query of the rows of model {@code model} (qualified) after run {@code runId}: its data files then, read in
     * the types the files hold.
     *
     * @throws SluiceException with {@link ErrorCode#USAGE} when the model had no Iceberg snapshot after that run
     */
    public static String readAsOf(Session session, StorageStore store, Path projectRoot, String model, long runId) {
        StorageStore.IcebergVersion version = store.icebergVersionsAsOf(runId).get(model);
        if (version == null || version.snapshotId() == null) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read %s as of run %d: the catalog records no Iceberg "
                    + "snapshot of it committed by that run or before; see sluice runs for the runs, and check that "
                    + "the model has storage: { format: iceberg }", model, runId);
        }
        LocalFileIO io = new LocalFileIO();
        Table table = new BaseTable(new StaticTableOperations(LocalFileIO.location(projectRoot.toAbsolutePath()
                .normalize().resolve(version.metadataPath())), io), model);
        List<DataFile> files = IcebergTables.liveFiles(table, version.snapshotId());
        if (files.isEmpty()) {
            return "SELECT NULL AS no_rows WHERE false";
        }
        return "SELECT * FROM " + session.dialect().readParquet(IcebergTables.list(files.stream()
                .map(file -> LocalFileIO.path(file.location())).toList()), false);
    }
}
