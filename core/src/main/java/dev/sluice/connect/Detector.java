package dev.sluice.connect;

import dev.sluice.SourceChange;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Engine;
import dev.sluice.project.Source;
import java.util.Optional;

/**
 * Looks at tracked sources without loading anything, for {@code plan}, through their connectors: the files a
 * manifest would read, the rows above a watermark, the keys whose row hash changed. With no catalog yet, everything
 * is new. Also the context connectors detect in.
 */
public final class Detector {
    private final Engine engine;
    private final Catalog catalog;
    private final StoredPaths paths;

    /**
     * {@code engine} is the warehouse (read-only) or a scratch database; {@code catalog} is null when there is none;
     * {@code paths} says how the manifest stores file paths.
     */
    public Detector(Engine engine, Catalog catalog, StoredPaths paths) {
        this.engine = engine;
        this.catalog = catalog;
        this.paths = paths;
    }

    /** What the next load of a tracked source would find. */
    public SourceChange detect(Source source) {
        return SourceConnectors.of(source).detect(source, this);
    }

    /**
     * A query over the rows the next load would read, readable on a session of an empty engine that may read the
     * project's files; empty when unknown without loading.
     */
    public Optional<String> pendingRows(Source source) {
        return SourceConnectors.of(source).pendingRows(source, this);
    }

    /** The warehouse (read-only) or a scratch database. */
    public Engine engine() {
        return engine;
    }

    /** The catalog, or null when there is none yet. */
    public Catalog catalog() {
        return catalog;
    }

    public StoredPaths paths() {
        return paths;
    }

    /** The manifest of a files source (empty without a catalog). */
    java.util.Map<String, dev.sluice.catalog.ManifestRecord> manifest(Source source) {
        return catalog == null ? java.util.Map.of() : catalog.state().manifest(source.qualifiedName());
    }
}
