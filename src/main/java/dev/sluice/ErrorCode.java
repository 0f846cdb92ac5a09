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
    WAREHOUSE_LOCKED(Fault.USER),
    /** The catalog was written by a newer Sluice. */
    CATALOG_TOO_NEW(Fault.USER),
    /** A model or a source failed while the run executed. */
    RUN_FAILED(Fault.RUN),
    /** A bug or an environment problem inside Sluice. */
    INTERNAL(Fault.INTERNAL);

    /** Whose fault an error is. */
    public enum Fault { USER, RUN, INTERNAL }

    private final Fault fault;

    ErrorCode(Fault fault) {
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }

    /** The launcher's exit code: 1 for a failed run, 2 for bad input or configuration, 3 for internal errors. */
    public int exitCode() {
        return switch (fault) {
            case USER -> 2;
            case RUN -> 1;
            case INTERNAL -> 3;
        };
    }
}
