package dev.sluice.exec;

import dev.sluice.Compaction;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Session;
import dev.sluice.project.Model;
import dev.sluice.storage.Layout;
import dev.sluice.storage.StorageOptimizer;
import dev.sluice.storage.iceberg.IcebergCompactor;
import dev.sluice.storage.iceberg.IcebergWriter;

/**
 * {@code sluice optimize} for an Iceberg model: one Iceberg rewrite commit of the small files of its crowded
 * partitions, recorded with a run of its own in one transaction with the model's view; the fault point
 * {@code compaction} sits between the written files and that commit. The caller holds the warehouse lock.
 */
final class IcebergCompaction {
    private IcebergCompaction() {
    }

    static Compaction compact(Session session, Catalog catalog, StorageOptimizer optimizer, Model model,
            String engineVersion, String sluiceVersion, long targetFileSize) {
        IcebergWriter writer = new IcebergWriter(catalog.storage(), optimizer.projectRoot());
        IcebergCompactor compactor = new IcebergCompactor(writer, targetFileSize);
        IcebergCompactor.Survey survey = compactor.survey(session, model);
        if (!survey.needed()) {
            return new Compaction(model.qualifiedName(), false, survey.files(), survey.files(), survey.bytes(),
                    survey.bytes(), survey.unneeded());
        }
        long runId = catalog.runs().startRun("optimize", model.name(), engineVersion, sluiceVersion,
                WarehouseLock.host(), ProcessHandle.current().pid());
        session.begin();
        try {
            Layout layout = optimizer.foldLayout(session, model, model.name());
            compactor.rewrite(session, model, survey, layout, runId);
            // the compacted files and the new metadata are written, the catalog's pointer not yet committed
            FaultPoints.reach(FaultPoints.COMPACTION, model.name(), session);
            session.commit();
        } catch (RuntimeException e) {
            session.rollback();
            try {
                writer.abandon(model, runId);
            } catch (RuntimeException cleanup) {
                // the next publish of the model deletes what no commit recorded
                e.addSuppressed(cleanup);
            }
            catalog.runs().finishRun(runId, "failed");
            throw e;
        }
        String reason = survey.rewritten(runId);
        try {
            writer.committed(session, model, runId);
        } catch (RuntimeException e) {
            reason += "; writing the version hint failed (" + e.getMessage() + "), the next publish writes it";
        }
        catalog.runs().finishRun(runId, "success");
        IcebergCompactor.Survey after = compactor.survey(session, model);
        return new Compaction(model.qualifiedName(), true, survey.files(), after.files(), survey.bytes(),
                after.bytes(), reason);
    }
}
