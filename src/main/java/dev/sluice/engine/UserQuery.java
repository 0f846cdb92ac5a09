package dev.sluice.engine;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;

/**
 * One read statement a user typed ({@code sluice query}, drivers): checked by the engine's dialect before it runs
 * ({@link Dialect#readStatement}), so that anything but one statement that only reads is refused without running.
 */
public final class UserQuery {
    private UserQuery() {
    }

    /**
     * Runs {@code sql} on {@code session} if it is one read statement, and reads its whole result.
     *
     * @throws SluiceException {@link ErrorCode#USAGE} saying what was refused and why, before anything ran, or when
     *     the engine fails the statement
     */
    public static Rows run(Session session, String sql) {
        String statement = session.dialect().readStatement(session, sql);
        try {
            return session.query(statement);
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s", e.getMessage());
        }
    }

    /**
     * As {@link #run}, with {@code parameters} bound to its {@code ?} in order, reading the rows as the engine produces them: nothing holds the whole result.
     *
     * @throws SluiceException {@link ErrorCode#USAGE} as {@link #run} does
     */
    public static Cursor stream(Session session, String sql, Object... parameters) {
        String statement = session.dialect().readStatement(session, sql);
        try {
            return session.stream(statement, parameters);
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s", e.getMessage());
        }
    }

    /**
     * Describes {@code sql} without running it, if it is one read statement (see {@link Session#describe}).
     *
     * @throws SluiceException {@link ErrorCode#USAGE} as {@link #run} does
     */
    public static Description describe(Session session, String sql) {
        String statement = session.dialect().readStatement(session, sql);
        try {
            return session.describe(statement);
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s", e.getMessage());
        }
    }
}
