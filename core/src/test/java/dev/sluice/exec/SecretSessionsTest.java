package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.project.Defaults;
import dev.sluice.project.Project;
import dev.sluice.project.Secret;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretSessionsTest {
    private static final Path ROOT = Path.of("/tmp/secret-sessions");

    private static Project project(Map<String, Object> vars, Set<String> secretVars) {
        return new Project(ROOT, "p", ROOT.resolve("w.duckdb"), dev.sluice.project.CatalogSpec.WAREHOUSE, vars, List.of(), Defaults.standard(),
                List.of(), List.of(new Secret("TOKEN", "it's-secret"), new Secret("DAY", "2024-01-31")), secretVars, List.of());
    }

    @Test
    void everySessionHoldsTheSecretVarsTyped() {
        Project project = project(Map.of("token", "it's-secret", "day", LocalDate.of(2024, 1, 31), "n", 3L),
                Set.of("token", "day"));
        DuckDbEngine inner = DuckDbEngine.inMemory();
        try (Engine engine = SecretSessions.of(inner, project); Session session = engine.session()) {
            assertThat(session.query("SELECT CAST(getvariable('sluice_secret_token') AS VARCHAR), "
                    + "typeof(getvariable('sluice_secret_day'))").values().get(0)).containsExactly("it's-secret", "DATE");
            assertThat(session.query("SELECT getvariable('sluice_secret_n') IS NULL").single()).isEqualTo(true);
            assertThat(engine.version()).isEqualTo(inner.version());
            session.execute("CREATE TABLE t AS SELECT 1 AS x");
            assertThat(engine.columns("main", "t")).containsExactly(new Engine.Column("x", "INTEGER"));
            assertThat(engine.relationKind("main", "t")).isEqualTo(Engine.RelationKind.TABLE);
        }
    }

    @Test
    void aProjectWithoutSecretVarsKeepsItsEngine() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory()) {
            assertThat(SecretSessions.of(engine, project(Map.of("n", 3L), Set.of()))).isSameAs(engine);
        }
    }
}
