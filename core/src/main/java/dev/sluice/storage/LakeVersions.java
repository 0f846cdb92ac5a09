package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Session;
import dev.sluice.project.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The version folders of the models' lake outputs, as the catalog records them. A build claims its folder (a
 * committed catalog row) before writing a file in it, makes it current in its publishing transaction, and after the
 * commit deletes the folders of the model's older versions and of claims whose builds never published. Sluice never
 * deletes or writes into a folder it did not record: another folder in a lake folder, even one named like a version,
 * is left alone. The current version is read from here, never from a view's text. Paths are stored relative to the
 * project folder, so that a moved project finds its versions. Thread-safe: builds of different models may claim and
 * clean up at the same time; one model is built by one thread at a time.
 */
public final class LakeVersions {
    private final Catalog catalog;
    private final Path projectRoot;
    private final S3Lake s3;

    public LakeVersions(Catalog catalog, Path projectRoot) {
        this(catalog, projectRoot, dev.sluice.project.S3Settings.NONE);
    }

    /** @param s3 where lake outputs on {@code s3://} are uploaded ({@link S3Lake}) */
    public LakeVersions(Catalog catalog, Path projectRoot, dev.sluice.project.S3Settings s3) {
        this.catalog = catalog;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.s3 = new S3Lake(s3, S3Lake.RETRIES);
    }

    /**
     * Claims the version folder of a build of a model ({@code run-<runId>} in its lake folder) before anything is
     * written, in its own committed transaction: call it before the publishing transaction begins, which then sees
     * the claim. Returns the folder, which does not exist.
     *
     * @throws SluiceException when a folder of that name exists that Sluice did not write
     */
    public Path claim(Model model, long runId) {
        Path folder = model.lakeFolder(projectRoot);
        Path version = folder.resolve(LakeWriter.VERSION_PREFIX + runId);
        String stored = stored(version);
        if (Files.exists(version)) {
            if (!catalog.storage().isLakeVersion(stored)) {
                throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write model %s (%s) to %s: the folder exists "
                        + "and Sluice did not write it; move it out of %s (Sluice keeps its versions there)",
                        model.name(), model.relativeFile(), version, folder);
            }
            // written by an earlier attempt of the same run id that never published: Sluice's own, and stale
            delete(version);
        }
        catalog.storage().claimLakeVersion(model.qualifiedName(), runId, stored);
        return version;
    }

    /** In the publishing transaction: the version the run claimed becomes the model's current one. */
    public void publish(Session session, Model model, long runId) {
        if (model.lakeInS3()) {
            // every object uploaded and the bucket's pointer switched, or this throws and nothing is published
            s3.publish(model, model.lakeFolder(projectRoot).resolve(LakeWriter.VERSION_PREFIX + runId));
        }
        catalog.storage().publishLakeVersion(session, model.qualifiedName(), runId);
    }

    /** The model's current version folder, or null when the catalog records none (never built to the lake). */
    public Path current(Session session, Model model) {
        return catalog.storage().currentLakeVersion(session, model.qualifiedName()).map(projectRoot::resolve)
                .orElse(null);
    }

    /**
     * After a build that did not publish (rolled back, or nothing to write): deletes the folder it claimed and the
     * claim. A failure here leaves the claim for {@link #cleanUp} to finish.
     */
    public void abandon(Model model, long runId, Path version) {
        delete(version);
        catalog.storage().forgetLakeVersion(model.qualifiedName(), runId, stored(version));
    }

    /**
     * After the commit: deletes the folders of the model's versions that are not current (retired ones, and claims
     * of builds that died before publishing) and forgets them; returns how many. A version whose folder could not be
     * deleted stays recorded and is tried again after the next publish.
     */
    public int cleanUp(Model model) {
        int deleted = 0;
        for (StorageStore.LakeVersion version : catalog.storage().staleLakeVersions(model.qualifiedName())) {
            delete(projectRoot.resolve(version.path()));
            if (model.lakeInS3()) {
                s3.forget(model, Path.of(version.path()).getFileName().toString());
            }
            catalog.storage().forgetLakeVersion(model.qualifiedName(), version.runId(), version.path());
            deleted++;
        }
        return deleted;
    }

    /** A version folder as the catalog stores it: relative to the project folder when inside it. */
    private String stored(Path version) {
        Path normal = version.toAbsolutePath().normalize();
        return normal.startsWith(projectRoot) ? projectRoot.relativize(normal).toString().replace('\\', '/')
                : normal.toString();
    }

    private static void delete(Path version) {
        try {
            LakeWriter.deleteTree(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
