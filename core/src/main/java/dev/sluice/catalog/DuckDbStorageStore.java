package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link StorageStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbStorageStore implements StorageStore {
    private final Engine engine;

    DuckDbStorageStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void claimLakeVersion(String model, long runId, String path) {
        try (Session session = engine.session()) {
            session.execute("INSERT INTO sluice.lake_versions VALUES (?, ?, ?, 'writing', ?)", model, runId, path,
                    LocalDateTime.now());
        }
    }

    @Override
    public boolean isLakeVersion(String path) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.lake_versions WHERE path = ?", path).singleLong() > 0;
        }
    }

    @Override
    public void publishLakeVersion(Session session, String model, long runId) {
        session.execute("UPDATE sluice.lake_versions SET state = 'retired' WHERE model = ? AND state = 'current'",
                model);
        session.execute("UPDATE sluice.lake_versions SET state = 'current' WHERE model = ? AND run_id = ? "
                + "AND state = 'writing'", model, runId);
    }

    @Override
    public Optional<String> currentLakeVersion(Session session, String model) {
        return Optional.ofNullable((String) session.query("SELECT max(path) FROM sluice.lake_versions WHERE model = ? "
                + "AND state = 'current'", model).single());
    }

    @Override
    public List<LakeVersion> staleLakeVersions(String model) {
        try (Session session = engine.session()) {
            List<LakeVersion> versions = new ArrayList<>();
            for (List<Object> row : session.query("SELECT run_id, path FROM sluice.lake_versions WHERE model = ? "
                    + "AND state <> 'current' ORDER BY run_id", model).values()) {
                versions.add(new LakeVersion(((Number) row.get(0)).longValue(), (String) row.get(1)));
            }
            return versions;
        }
    }

    @Override
    public void forgetLakeVersion(String model, long runId, String path) {
        try (Session session = engine.session()) {
            session.execute("DELETE FROM sluice.lake_versions WHERE model = ? AND run_id = ? AND path = ? "
                    + "AND state <> 'current'", model, runId, path);
        }
    }

    @Override
    public void recordStorage(Session session, StorageTable table, List<List<Object>> rows) {
        for (List<List<Object>> batch : CatalogRows.batches(rows)) {
            List<String> values = new ArrayList<>();
            for (List<Object> row : batch) {
                values.add("(" + String.join(", ", row.stream().map(Sql::literal).toList()) + ")");
            }
            session.execute("INSERT INTO sluice." + table.name().toLowerCase(Locale.ROOT) + " VALUES "
                    + String.join(", ", values));
        }
    }

    @Override
    public Rows latestDecisions(String model) {
        try (Session session = engine.session()) {
            return session.query("SELECT model, run_id, aspect, choice, pinned, inputs, reason FROM "
                    + "sluice.storage_decisions d WHERE run_id = (SELECT max(run_id) FROM sluice.storage_decisions "
                    + "WHERE model = d.model) AND (CAST(? AS VARCHAR) IS NULL OR model = ?) ORDER BY model, "
                    + CatalogRows.insertionOrder(session), model, model);
        }
    }

    @Override
    public Optional<Long> lastDecisionRun(Session session, String model) {
        return Optional.ofNullable(CatalogRows.toLong(session.query(
                "SELECT max(run_id) FROM sluice.storage_decisions WHERE model = ?", model).single()));
    }

    @Override
    public void recordIcebergVersion(Session session, String model, IcebergVersion version) {
        session.execute("INSERT INTO sluice.iceberg_snapshots VALUES (?, ?, ?, ?, ?, ?, ?)", model, version.version(),
                version.runId(), version.snapshotId(), version.operation(), version.metadataPath(),
                LocalDateTime.now());
    }

    @Override
    public Optional<IcebergVersion> currentIcebergVersion(Session session, String model) {
        List<IcebergVersion> versions = icebergVersions(session, model, " ORDER BY version DESC LIMIT 1");
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0));
    }

    @Override
    public List<IcebergVersion> icebergVersions(String model) {
        try (Session session = engine.session()) {
            return icebergVersions(session, model, " ORDER BY version");
        }
    }

    @Override
    public java.util.Map<String, IcebergVersion> icebergVersionsAsOf(long runId) {
        java.util.Map<String, IcebergVersion> versions = new java.util.TreeMap<>();
        try (Session session = engine.session()) {
            for (List<Object> row : session.query("SELECT model, version, run_id, snapshot_id, operation, metadata_path "
                    + "FROM sluice.iceberg_snapshots WHERE run_id <= ? ORDER BY model, version", runId).values()) {
                versions.put((String) row.get(0), new IcebergVersion(((Number) row.get(1)).intValue(),
                        ((Number) row.get(2)).longValue(), row.get(3) == null ? null : ((Number) row.get(3)).longValue(),
                        (String) row.get(4), (String) row.get(5)));
            }
        }
        return versions;
    }

    private static List<IcebergVersion> icebergVersions(Session session, String model, String order) {
        List<IcebergVersion> versions = new ArrayList<>();
        for (List<Object> row : session.query("SELECT version, run_id, snapshot_id, operation, metadata_path FROM "
                + "sluice.iceberg_snapshots WHERE model = ?" + order, model).values()) {
            versions.add(new IcebergVersion(((Number) row.get(0)).intValue(), ((Number) row.get(1)).longValue(),
                    row.get(2) == null ? null : ((Number) row.get(2)).longValue(), (String) row.get(3),
                    (String) row.get(4)));
        }
        return versions;
    }
}
