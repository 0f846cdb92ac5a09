package dev.sluice;

/**
 * Error code carried by every {@link SluiceException}: says what went wrong and whose fault it is,
 * which decides the command line's exit code.
 */
public enum ErrorCode {
    /** sluice.yml is missing, unreadable or invalid. */
    PROJECT_INVALID(Fault.USER),
    /** A model file is invalid: front matter, SQL, references or types. */
    MODEL_INVALID(Fault.USER),
    /** A parameter or environment variable is undefined or has a bad value. */
    PARAMETER_INVALID(Fault.USER),
    /** A source definition is invalid or its data cannot be read. */
    SOURCE_INVALID(Fault.USER),
    /** The model graph has a cycle. */
    MODEL_CYCLE(Fault.USER),
    /** A selection names no model, or a command argument is wrong. */
    USAGE(Fault.USER),
    /** Another process holds the warehouse. */
    WAREHOUSE_LOCKED(Fault.BUSY),
    /** The catalog was written by a newer Sluice. */
    CATALOG_TOO_NEW(Fault.WAREHOUSE),
    /** The warehouse file or its catalog is damaged: truncated, unreadable, or missing catalog tables. */
    WAREHOUSE_DAMAGED(Fault.WAREHOUSE),
    /** A model or a source failed while the run executed. */
    RUN_FAILED(Fault.RUN),
    /** A bug or an environment problem inside Sluice. */
    INTERNAL(Fault.INTERNAL);

    /**
     * Whose fault an error is: the user's input, a model or source that failed while running, another process that
     * holds the warehouse, a warehouse this Sluice cannot use as it is (damaged, or from a newer Sluice), or Sluice.
     */
    public enum Fault { USER, RUN, BUSY, WAREHOUSE, INTERNAL }

    private final Fault fault;

    ErrorCode(Fault fault) {
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }

    /**
     * The launcher's exit code: 1 for a failed run, 2 for bad input or configuration, 3 for internal errors, 4 when
     * another process holds the warehouse (retry later), 5 when the warehouse cannot be used as it is (restore it or
     * use a newer Sluice).
     */
    public int exitCode() {
        return switch (fault) {
            case USER -> 2;
            case RUN -> 1;
            case INTERNAL -> 3;
            case BUSY -> 4;
            case WAREHOUSE -> 5;
        };
    }
}
