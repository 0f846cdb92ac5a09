package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * What incremental processing remembers: the files each manifest-tracked source has read, the checkpoints of
 * incremental models, and the latest detections.
 */
public record State(QueryResult sources, QueryResult checkpoints, QueryResult detections) {
    public State {
        requireNonNull(sources, "sources");
        requireNonNull(checkpoints, "checkpoints");
        requireNonNull(detections, "detections");
    }
}
