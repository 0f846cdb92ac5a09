package dev.sluice.connect.jdbc;

import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import java.util.function.UnaryOperator;

/** For tests of other packages: a {@code type: jdbc} source's stage on a session, as its load stages it. */
public final class JdbcStages {
    private JdbcStages() {
    }

    /**
     * Plans the source's read above {@code previousWatermark} (null: whole) and stages it on the session; returns the
     * relation the load reads.
     */
    public static String stage(Session session, Source source, String previousWatermark) {
        JdbcSpec spec = (JdbcSpec) source.spec();
        try (JdbcDatabase database = JdbcDatabase.open(source, spec.partitions(), UnaryOperator.identity())) {
            JdbcReader reader = new JdbcReader(source, database, UnaryOperator.identity());
            return reader.stage(session, reader.plan(previousWatermark));
        }
    }
}
