package dev.sluice.project;

/**
 * A kind of sink, named by {@code type:} under a model's {@code sink:}: reads its settings. Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.sluice.project.SinkType}); implementations are
 * stateless and shared.
 */
public interface SinkType {
    /** The word of {@code type:} that selects this kind of sink, such as {@code jdbc}. */
    String type();

    /**
     * The sink's own settings read from its mapping (the {@link SinkSpec#COMMON_KEYS} are Sluice's), or null after
     * reporting every problem through {@code config}; {@code ${env:NAME}} references are already resolved.
     */
    SinkSettings parse(SourceConfig config);
}
