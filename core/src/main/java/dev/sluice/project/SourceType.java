package dev.sluice.project;

/**
 * A kind of source, named by its {@code type:} in sluice.yml: the half of a connector that reads its configuration.
 * Found through {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.sluice.project.SourceType} file
 * naming the implementation, which must also implement {@code dev.sluice.connect.SourceConnector}). Implementations
 * are stateless and shared by every project.
 */
public interface SourceType {

    /** The word of {@code type:} that selects this kind of source, such as {@code files}. */
    String type();

    /**
     * The source's settings read from its mapping in sluice.yml, or null after reporting every problem found through
     * {@code config} (located at the offending line, so all problems of the file are reported at once).
     */
    SourceSpec parse(SourceConfig config);
}
