package dev.sluice;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model ended in a run. {@code SUCCESS}, {@code UP_TO_DATE} and {@code NOT_TAKEN} are the outcomes of a
 * successful run; {@code FAILED} and {@code SKIPPED} (not built because something it needs failed) fail it.
 */
public enum ModelStatus {
    /** Built and published in this run. */
    SUCCESS,
    /** Nothing it reads changed since its last build: its published table stays as it is. */
    UP_TO_DATE,
    /** On a conditional path that was not taken this run (its when: condition was false, or it is the otherwise path of
     * a condition that held): deliberately not built, never retried by --resume. */
    NOT_TAKEN,
    /** Its build, its gate or its condition failed. */
    FAILED,
    /** Not built because a model or source it needs failed, or the run stopped (--fail-fast). */
    SKIPPED;

    /**
     * The word stored in the catalog ({@code sluice.model_runs.status}): {@code success}, {@code up_to_date},
     * {@code not_taken}, {@code failed}, {@code skipped}.
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status as printed: {@code SUCCESS}, {@code UP TO DATE}, {@code NOT TAKEN}, {@code FAILED}, {@code SKIPPED}. */
    public String label() {
        return name().replace('_', ' ');
    }

    /** True for the outcomes that leave a run successful. */
    public boolean ok() {
        return switch (this) {
            case SUCCESS, UP_TO_DATE, NOT_TAKEN -> true;
            case FAILED, SKIPPED -> false;
        };
    }

    /** The status stored as {@code word}; empty for a word no status has (a run killed before it finished). */
    public static java.util.Optional<ModelStatus> ofWord(String word) {
        return Arrays.stream(values()).filter(status -> status.word().equals(word)).findFirst();
    }
}
