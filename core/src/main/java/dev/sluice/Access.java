package dev.sluice;

/**
 * How a read of the warehouse shows masked columns ({@code mask:} in the project): masked, as every reader sees them
 * by default, or in clear, for callers allowed to see personal data (the CLI's {@code --unmask}, a server user with
 * the {@code unmask} permission).
 */
public enum Access {
    /** Masked columns show their masks. */
    MASKED,
    /** Masked columns show their values. */
    UNMASKED
}
