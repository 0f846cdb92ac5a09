package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.project.Defaults;
import dev.sluice.project.Project;
import dev.sluice.project.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadContextTest {
    private static final Path ROOT = Path.of("/tmp/secret-sessions");

    @Test
    void hidesSecretsInATemporaryTableBeforeItsRowsAreKept() {
        Project project = new Project(ROOT, "p", ROOT.resolve("w.duckdb"), dev.sluice.project.CatalogSpec.WAREHOUSE, Map.of(), List.of(),
                Defaults.standard(), List.of(), List.of(new Secret("TOKEN", "it's-secret")), Set.of(), List.of());
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            LoadContext context = new LoadContext(engine, null, 1, project::redact,
                    new StoredPaths(ROOT, project::redact), null);
            session.execute("CREATE TEMP TABLE files AS SELECT * FROM (VALUES ('/d/it''s-secret/a.csv'), ('/d/b.csv'), "
                    + "(NULL)) AS v(path)");

            context.hideSecrets(session, "files", "path");

            assertThat(session.query("SELECT path FROM files ORDER BY path NULLS LAST").values()).containsExactly(
                    List.of("/d/${env:TOKEN}/a.csv"), List.of("/d/b.csv"), java.util.Collections.singletonList(null));
        }
    }
}
