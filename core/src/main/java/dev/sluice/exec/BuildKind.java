package dev.sluice.exec;

import java.util.Locale;

/** What a build did, recorded in {@code sluice.model_runs.build_kind}. */
enum BuildKind {
    /** The whole relation built anew (a view, a table, a first or full incremental or windowed build). */
    FULL,
    /** An incremental model's new rows folded into it by its strategy. */
    INCREMENTAL,
    /** A windowed model's pending and affected intervals replaced. */
    INTERVALS;

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
