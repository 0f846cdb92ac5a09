package dev.sluice.connect;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.project.SourceType;
import dev.sluice.quality.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A connector: everything Sluice does with one {@code type:} of source. It reads its configuration
 * ({@link SourceType#parse}), describes the source's columns for planning, loads it into the warehouse through the
 * engine (the whole source, or, when its changes are tracked, what changed since the last load) and reports what a
 * load would find new. Registered in {@code META-INF/services/dev.sluice.project.SourceType}; implementations are
 * stateless and shared between threads, every method getting the source and the run's context it needs.
 *
 * <p>A tracked source keeps its rows in {@link Tracked}'s layout (a data table tagged with the loading run under a
 * view of the source's name): incremental and windowed models then read only the rows loaded after their
 * checkpoint, with no code of their own for the connector. {@link TrackedRows} loads and detects by a watermark or by
 * row hashes over any relation a connector can make readable on a session.
 */
public interface SourceConnector extends SourceType {

    /**
     * True when loads of the source add what changed ({@link Tracked}'s layout); false when every load replaces the
     * source's table with a whole read.
     */
    boolean tracked(SourceSpec spec);

    /**
     * Creates {@code relation} (quoted, its schema existing) on the planner's scratch session, empty, with the columns
     * a load of the source gives. {@code root} is the project folder.
     */
    void describe(Session session, Source source, String relation, Path root);

    /**
     * Why the source could not be described, in the user's terms, from the engine's message: what to check or fix.
     * The default drops the SQL the engine echoes after {@code LINE n:}.
     */
    default String explain(Source source, String engineMessage, Path root) {
        String message = String.valueOf(engineMessage);
        int echo = message.indexOf("\nLINE ");
        return (echo < 0 ? message : message.substring(0, echo)).strip() + "; check its definition in sluice.yml";
    }

    /**
     * Loads the source in one transaction: its rows, rejects, gate results (through {@link LoadContext#gates}), any
     * checkpoint and the load's record commit together, or the source stays as it was and the failure is recorded.
     * Never throws for bad data or an unreachable source: the result says why.
     */
    SourceResult load(Source source, List<Rule> rules, LoadContext context);

    /** What the next load of a tracked source would find new, loading nothing (for {@code sluice plan}). */
    default SourceChange detect(Source source, Detector context) {
        throw new UnsupportedOperationException(getClass().getName() + " does not detect changes of source "
                + source.qualifiedName());
    }

    /**
     * A query over the rows the next load would read that are not loaded yet, readable on a session of an empty
     * engine that may read the project's files (plan shows windowed models' late rows with it); empty when none is
     * known without loading.
     */
    default Optional<String> pendingRows(Source source, Detector context) {
        return Optional.empty();
    }

    /**
     * What a build read of the source (recorded with the build's lineage): by default its place and, for a tracked
     * source with a watermark, the watermark range of the loads it read ({@code afterRun}, {@code upToRun}: null for
     * a whole read).
     */
    default SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        return new SourceInput(context.warehouse(), List.of(), null, null,
                tracked(source.spec()) ? context.watermarkRange(source, afterRun, upToRun) : null);
    }
}
