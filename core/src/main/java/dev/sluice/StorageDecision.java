package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * One storage layout decision of a model, recorded by a build or proposed by a dry run.
 *
 * @param model the model as {@code schema.name}
 * @param runId the run that made it, or null for a proposal
 * @param aspect format, compression, encoding, partitioning, sort, row_group, file_size or index
 * @param pinned true when the model's front matter fixed the choice
 * @param inputs the statistics and settings the rule read, as JSON
 * @param reason why, in one sentence
 */
public record StorageDecision(String model, Long runId, String aspect, String choice, boolean pinned, String inputs,
        String reason) {
    public StorageDecision {
        requireNonNull(model, "model");
        requireNonNull(aspect, "aspect");
        requireNonNull(choice, "choice");
        requireNonNull(inputs, "inputs");
        requireNonNull(reason, "reason");
    }
}
