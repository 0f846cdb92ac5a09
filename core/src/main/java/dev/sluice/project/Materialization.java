package dev.sluice.project;

/** How a model's result is kept in the warehouse. */
public enum Materialization {
    /** A view over its inputs; nothing is stored. */
    VIEW,
    /** A table rebuilt on each run, published atomically. */
    TABLE,
    /** Never stored: inlined as a common table expression into each consumer. */
    EPHEMERAL,
    /** A table that each run changes by only what is new or changed in its inputs, by its {@link Incremental} strategy. */
    INCREMENTAL
}
