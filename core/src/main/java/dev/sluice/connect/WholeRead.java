package dev.sluice.connect;

import dev.sluice.SourceResult;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.quality.Rule;
import java.util.List;
import java.util.function.Function;

/**
 * Loads a source whose changes are not tracked: every load replaces the source's table with every row of a relation,
 * in one transaction with its gates and load record (a failed gate leaves the previous table as it was). The
 * counterpart of {@link TrackedRows} for connectors that read whole.
 */
public final class WholeRead {
    private WholeRead() {
    }

    /**
     * Loads every row of the relation that {@code open} makes readable on the load's session (before its transaction
     * begins) and returns (quoted, or a parenthesised query).
     */
    public static SourceResult load(Source source, List<Rule> rules, LoadContext context,
            Function<Session, String> open) {
        return new FullLoader(context).load(source, rules, (session, prefix) -> CsvRejects.none(source,
                context.paths(), "SELECT * FROM " + open.apply(session)), 0, "");
    }
}
