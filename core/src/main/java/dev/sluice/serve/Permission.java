package dev.sluice.serve;

/**
 * What a user of the server may do: every user reads; {@code run} also starts runs; {@code unmask} reads masked
 * columns in clear.
 */
enum Permission {
    /** Queries, metadata and the CLI's read commands. */
    READ,
    /** Runs (the Flight action {@code run}, {@code sluice run} sent to the server). */
    RUN,
    /** Clear values of masked columns (mask: in the project) in query results and {@code sluice query --unmask}. */
    UNMASK
}
