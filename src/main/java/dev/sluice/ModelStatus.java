package dev.sluice;

/** A model's outcome in a run. */
public enum ModelStatus {
    SUCCESS, FAILED, SKIPPED;

    /** The word stored in the catalog and printed: {@code success}, {@code failed}, {@code skipped}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
