package dev.sluice.connect;

import dev.sluice.SourceResult;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.nio.file.Path;
import java.util.List;

/** {@code type: synthetic}: a deterministic generator, the same table for the same seed on every machine. */
public final class SyntheticConnector implements SourceConnector {

    @Override
    public String type() {
        return "synthetic";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return SyntheticConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return false;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        session.execute("CREATE OR REPLACE TABLE " + relation + " AS SELECT * FROM (" + SourceSql.generate(source)
                + ") LIMIT 0");
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        return new FullLoader(context).load(source, rules,
                (session, prefix) -> CsvRejects.none(source, context.paths(), SourceSql.generate(source)), 0, "");
    }
}
