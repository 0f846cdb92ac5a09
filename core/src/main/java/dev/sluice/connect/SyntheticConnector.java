package dev.sluice.connect;

import dev.sluice.SourceResult;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.EngineTraits;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        EngineFactory duckdb = Engines.factory(EngineTraits.DEFAULT);
        if (context.engine().dialect() == duckdb.dialect()) {
            return new FullLoader(context).load(source, rules,
                    (session, prefix) -> CsvRejects.none(source, context.paths(), SourceSql.generate(source)), 0, "");
        }
        // The generator is DuckDB SQL (its hash() makes the values): another engine reads the same rows from a
        // Parquet file DuckDB writes, so a seed gives the same table on every engine. The file is under the
        // project's target folder: an engine confined to the project may read nothing else.
        Path folder;
        try {
            Path target = Files.createDirectories(context.paths().root().resolve("target"));
            folder = Files.createTempDirectory(target, "sluice-synthetic-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = folder.resolve(source.table() + ".parquet");
        try {
            try (Engine generator = duckdb.open(EngineOptions.inMemory(List.of()));
                    Session session = generator.session()) {
                session.execute(duckdb.dialect().copyToParquet(SourceSql.generate(source), file,
                        Dialect.ParquetOptions.defaults()));
            }
            String read = "SELECT * FROM " + context.engine().dialect().readParquet(Sql.string(file.toString()));
            return new FullLoader(context).load(source, rules,
                    (session, prefix) -> CsvRejects.none(source, context.paths(), read), 0, "");
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                // a file under the temporary folder: the system's to clean
            }
        }
    }
}
