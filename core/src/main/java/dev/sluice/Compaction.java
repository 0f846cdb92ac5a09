package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * What {@code optimize} did to one lake output.
 *
 * @param model the model as {@code schema.name}
 * @param rewritten true when its files were rewritten into a new version
 * @param reason why it was or was not rewritten
 */
public record Compaction(String model, boolean rewritten, int filesBefore, int filesAfter, long bytesBefore,
        long bytesAfter, String reason) {
    public Compaction {
        requireNonNull(model, "model");
        requireNonNull(reason, "reason");
    }
}
