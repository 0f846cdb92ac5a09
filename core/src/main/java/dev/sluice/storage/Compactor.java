package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.project.IoFailures;
import dev.sluice.project.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compaction of a lake model's current version: which folders hold several files below half the target file size,
 * and the rewrite of the table into target-sized files in its layout. The caller owns the warehouse lock, the run
 * record and the transaction (exec schedules compaction; this class only knows storage).
 */
public final class Compactor {
    private final StorageOptimizer optimizer;
    private final long half;

    public Compactor(StorageOptimizer optimizer, long targetFileSize) {
        this.optimizer = optimizer;
        this.half = targetFileSize / 2;
    }

    /** What the current version of a model holds: its Parquet file sizes by folder, and the pinning advice. */
    public record Survey(Map<Path, List<Long>> sizes, int files, long bytes, long crowded, String advice) {
        /** Whether some folder holds more than one file below half the target size. */
        public boolean needed() {
            return crowded > 0;
        }

        /** Why nothing is rewritten. */
        public String unneeded() {
            return String.format(Locale.ROOT, "%d file(s) in %d folder(s); no folder holds more than one file "
                    + "below half the target size", files, sizes.size()) + advice;
        }

        /** Why the model was rewritten in run {@code runId}. */
        public String rewritten(long runId) {
            return String.format(Locale.ROOT, "%d folder(s) held several files below half the target "
                    + "size; rewritten in run %d", crowded, runId) + advice;
        }
    }

    /** Surveys the current lake version of a model, as the catalog records it. */
    public Survey survey(Session session, Model model) {
        Path current = currentVersion(session, model);
        Map<Path, List<Long>> sizes = sizes(current, model);
        int files = sizes.values().stream().mapToInt(List::size).sum();
        long bytes = sizes.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        long crowded = sizes.values().stream().filter(s -> s.stream().filter(size -> size < half).count() > 1)
                .count();
        String advice = optimizer.pinAdvice(session, model, sizes, half);
        return new Survey(sizes, files, bytes, crowded, advice);
    }

    /**
     * Rewrites the model into the claimed {@code version} in the layout its statistics choose now and publishes it,
     * inside the caller's transaction; {@code beforePublish} runs once the files are written and the version pointer
     * is not yet moved.
     */
    public void rewrite(Session session, Model model, long runId, Path version, Runnable beforePublish) {
        TableStats stats = StatisticsCollector.collect(session, model.schema(), model.name());
        Layout layout = LayoutRules.decide(stats, model.storage(), optimizer.context(model));
        optimizer.record(session, model.qualifiedName(), runId, stats, layout);
        optimizer.writeLake(session, model, model.name(), layout, version);
        beforePublish.run();
        optimizer.versions().publish(session, model, runId);
    }

    /** The number of Parquet files of a version. */
    public static int files(Path version, Model model) {
        return sizes(version, model).values().stream().mapToInt(List::size).sum();
    }

    /** The version folder the view of a lake model reads, as the catalog records it. */
    private Path currentVersion(Session session, Model model) {
        Path version = optimizer.versions().current(session, model);
        if (version == null) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot optimize model %s (%s): the catalog records no lake "
                    + "version of it; run the pipeline first (a build of an older Sluice is recorded by the next "
                    + "full build: sluice run DIR --select %s --full-refresh)", model.name(), model.relativeFile(),
                    model.name());
        }
        return version;
    }

    /** Sizes of the Parquet files of a version, by folder. */
    private static Map<Path, List<Long>> sizes(Path version, Model model) {
        Map<Path, List<Long>> sizes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(version)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
                sizes.computeIfAbsent(file.getParent(), p -> new ArrayList<>()).add(Files.size(file));
            }
        } catch (IOException | UncheckedIOException e) {
            // A lake folder removed or made unreadable by hand: the catalog names a version the disk no longer has.
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            throw new SluiceException(ErrorCode.WAREHOUSE_DAMAGED, cause, "Cannot read the lake version of model %s "
                    + "(%s): %s; rebuild it with sluice run DIR --select %s --full-refresh", model.name(),
                    version, IoFailures.describe(cause), model.name());
        }
        return sizes;
    }
}
