package dev.sluice.connect;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Source;
import dev.sluice.project.SourceType;
import dev.sluice.project.SourceTypes;

/** Finds the connector of a source by its type. */
public final class SourceConnectors {
    private SourceConnectors() {
    }

    /** The connector of the source's type; a type registered without one is refused. */
    public static SourceConnector of(Source source) {
        String type = source.spec().type();
        SourceType found = SourceTypes.of(type).orElseThrow(() -> new SluiceException(ErrorCode.INTERNAL,
                "Cannot load source %s (%s): no connector of type '%s' is installed; valid types are %s",
                source.qualifiedName(), source.location(), type, SourceTypes.names()));
        if (found instanceof SourceConnector connector) {
            return connector;
        }
        throw new SluiceException(ErrorCode.INTERNAL, "Cannot load source %s (%s): %s reads type '%s' but is no "
                + "SourceConnector; implement dev.sluice.connect.SourceConnector", source.qualifiedName(),
                source.location(), found.getClass().getName(), type);
    }

    /** True when the source's changes are tracked (its rows in {@link Tracked}'s layout). */
    public static boolean tracked(Source source) {
        return of(source).tracked(source.spec());
    }
}
