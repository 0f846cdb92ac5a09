package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;

/**
 * Named points between the phases of a publish where a test makes Sluice fail, to prove each failure path without
 * sleeps or kills: run with the system property {@code sluice.fault} set to a point's name (for example
 * {@code -Dsluice.fault=after-commit}) and every build that reaches the point fails there. Read in this one place.
 */
enum FaultPoint {
    /** After a model's publishing transaction committed, before the work that follows it (clean-up, measuring). */
    AFTER_COMMIT("after-commit");

    static final String PROPERTY = "sluice.fault";

    private final String name;

    FaultPoint(String name) {
        this.name = name;
    }

    /** Fails here when the fault is injected at this point. */
    void reach() {
        if (name.equals(System.getProperty(PROPERTY))) {
            throw new SluiceException(ErrorCode.INTERNAL, "fault injected at %s", name);
        }
    }
}
