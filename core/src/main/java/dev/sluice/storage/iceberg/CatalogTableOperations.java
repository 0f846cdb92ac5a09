package dev.sluice.storage.iceberg;

import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Iceberg's table operations with the Sluice catalog as the Iceberg catalog: a commit writes the table's next
 * metadata file ({@code metadata/<n>-<uuid>.metadata.json}, as metastore catalogs name them: no reader that lists the
 * folder takes it for the current metadata before the commit) and records it in {@code sluice.iceberg_snapshots} in
 * the session's transaction. The pointer swap is therefore the publishing
 * transaction's commit: the Iceberg commit and the model's build become visible together or not at all. Bound to one
 * session and one run; not thread-safe.
 */
final class CatalogTableOperations implements TableOperations {
    private final StorageStore store;
    private final Session session;
    private final String model;
    private final long runId;
    private final Path projectRoot;
    private final Path location;
    private final LocalFileIO io;
    private TableMetadata current;
    private int version;

    CatalogTableOperations(StorageStore store, Session session, String model, long runId, Path projectRoot,
            Path location, LocalFileIO io) {
        this.store = store;
        this.session = session;
        this.model = model;
        this.runId = runId;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.location = location.toAbsolutePath().normalize();
        this.io = io;
        refresh();
    }

    @Override
    public TableMetadata current() {
        return current;
    }

    /** The metadata version of {@link #current()}, 0 when the table does not exist yet. */
    int version() {
        return version;
    }

    @Override
    public TableMetadata refresh() {
        java.util.Optional<StorageStore.IcebergVersion> recorded = store.currentIcebergVersion(session, model);
        if (recorded.isEmpty()) {
            current = null;
            version = 0;
        } else {
            version = recorded.get().version();
            current = TableMetadataParser.read(io, LocalFileIO.location(projectRoot.resolve(
                    recorded.get().metadataPath())));
        }
        return current;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        if (base != current) {
            throw new CommitFailedException("Cannot commit to the Iceberg table of %s: its metadata changed since "
                    + "this commit began", model);
        }
        if (base == metadata) {
            return;
        }
        int next = version + 1;
        Path file = location.resolve("metadata").resolve(String.format(java.util.Locale.ROOT, "%05d-%s.metadata.json",
                next, java.util.UUID.randomUUID()));
        TableMetadataParser.write(metadata, io.newOutputFile(LocalFileIO.location(file)));
        Long snapshot = metadata.currentSnapshot() == null ? null : metadata.currentSnapshot().snapshotId();
        String operation = metadata.currentSnapshot() == null ? "create" : metadata.currentSnapshot().operation();
        store.recordIcebergVersion(session, model, new StorageStore.IcebergVersion(next, runId, snapshot, operation,
                stored(file)));
        refresh();
    }

    private String stored(Path file) {
        return file.startsWith(projectRoot) ? projectRoot.relativize(file).toString().replace('\\', '/')
                : file.toString();
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return LocalFileIO.location(location.resolve("metadata").resolve(fileName));
    }

    @Override
    public LocationProvider locationProvider() {
        return LocationProviders.locationsFor(current.location(), current.properties());
    }
}
