package dev.sluice.quality;

/** A rule's outcome against its thresholds. */
public enum Verdict {
    PASS, WARN, FAIL;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
