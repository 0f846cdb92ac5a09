package dev.sluice.exec;

import dev.sluice.project.Source;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A tracked source a windowed model reads whose rows carry the model's time column.
 *
 * @param checkpoint the last run of the source the model read, or -1 when it has none
 * @param latest the last run that loaded rows of the source (the checkpoint when none came since)
 * @param maxEvent the greatest event time of the source's rows (UTC), or null when none has one
 * @param loads the loads after the checkpoint, in run order
 */
record TimedSource(Source source, String column, String type, String utc, long checkpoint, long latest,
        LocalDateTime maxEvent, List<Load> loads) {
    TimedSource {
        loads = List.copyOf(loads);
    }

    /**
     * The rows one run loaded.
     *
     * @param maxEvent their greatest event time (UTC), or null when none has one
     */
    record Load(long run, long rows, LocalDateTime maxEvent) {
    }

    /** The loads a build measures the arrival of, unless measured before: those after the checkpoint. */
    List<Load> loadsSinceCheckpoint() {
        return loads.stream().filter(load -> load.run() > Math.max(0, checkpoint)).toList();
    }
}
