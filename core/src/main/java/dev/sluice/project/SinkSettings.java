package dev.sluice.project;

/**
 * A sink type's own settings, read by its {@link SinkType}. Implementations are records of the sink's package and
 * never print a secret: {@link #target} names the table without credentials.
 */
public interface SinkSettings {
    /** The {@code type:} word of the sink. */
    String type();

    /** The target table as it may be written anywhere (catalog, messages, lineage): no user, no password. */
    String target();
}
