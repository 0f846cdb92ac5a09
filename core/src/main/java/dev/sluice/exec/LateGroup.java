package dev.sluice.exec;

import dev.sluice.window.LateRows;
import dev.sluice.window.Lateness;

/** Late rows of one source for one interval, loaded by one run. */
record LateGroup(TimedSource source, long index, long arrivalRun, long rows, double lateness,
        Lateness.Disposition disposition) {
    /** The same rows as the window package accounts for them. */
    LateRows lateRows() {
        return new LateRows(source.source().qualifiedName(), index, arrivalRun, rows, lateness, disposition);
    }
}
