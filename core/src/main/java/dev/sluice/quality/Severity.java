package dev.sluice.quality;

/** What happens when a rule fails beyond its error threshold. */
public enum Severity {
    /** The model is not published; everything downstream is skipped. */
    FAIL,
    /** The result is recorded and the run goes on. */
    WARN,
    /** Failing rows move to {@code <model>__quarantine}; the rest is published. */
    QUARANTINE
}
