package dev.sluice.connect;

import dev.sluice.QualityResult;
import dev.sluice.engine.Session;
import dev.sluice.quality.Rule;
import java.util.List;

/** The quality gates of a load, run by exec's gate runner on the load's session, inside its transaction. */
public interface SourceGates {

    /** A gate's outcome on the loaded rows. */
    interface Outcome {
        boolean passed();

        /** Why the gate stops the load: each blocking rule with its counts and failing rows. */
        String failure();

        List<QualityResult> results();
    }

    /** Checks {@code relation} (quoted, or a parenthesised query) against the source's rules. */
    Outcome check(Session session, String source, List<Rule> rules, String relation);

    /** Moves the rows failing quarantine rules out of {@code relation} ({@code schema.table}); returns how many. */
    long quarantine(Session session, Outcome outcome, String schema, String table, String relation);

    /** Records the gate's results (and metrics when {@code published}). */
    void record(Session session, Outcome outcome, boolean published);
}
