package dev.sluice.exec;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.project.Project;
import java.time.LocalDate;

/**
 * An engine whose every session holds the project's secret vars as session variables, which model and rule SQL
 * read through the engine's session variables (see {@link Project#secretVariable}). The values are bound as statement parameters,
 * so they are in no SQL text. Thread-safe as the engine it wraps.
 */
final class SecretSessions extends dev.sluice.engine.ForwardingEngine {
    private final Project project;

    private SecretSessions(Engine engine, Project project) {
        super(engine);
        this.project = project;
    }

    /** The engine itself when the project has no secret vars. */
    static Engine of(Engine engine, Project project) {
        return project.secretVars().isEmpty() ? engine : new SecretSessions(engine, project);
    }

    @Override
    public Session session() {
        Session session = delegate().session();
        try {
            for (String var : project.secretVars()) {
                Object value = project.vars().get(var);
                String type = value instanceof LocalDate ? "DATE" : "VARCHAR";
                session.execute(session.dialect().setVariable(Project.secretVariable(var), "CAST(? AS " + type + ")"),
                        String.valueOf(value));
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }
}
