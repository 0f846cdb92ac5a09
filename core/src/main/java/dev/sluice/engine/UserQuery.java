package dev.sluice.engine;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.ColumnMasks;

/**
 * One read statement a user typed ({@code sluice query}, drivers): checked by the engine's dialect before it runs
 * ({@link Dialect#readStatement}), so that anything but one statement that only reads is refused without running.
 * Given the warehouse's {@link ColumnMasks}, the statement reads masked columns only through their masks
 * ({@link Dialect#masked}); the overloads without masks read clear values, for callers allowed to.
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
        return run(session, sql, ColumnMasks.NONE);
    }

    /** As {@link #run(Session, String)}, reading the columns of {@code masks} masked. */
    public static Rows run(Session session, String sql, ColumnMasks masks) {
        String statement = checked(session, sql, masks);
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
        return stream(session, sql, ColumnMasks.NONE, parameters);
    }

    /** As {@link #stream(Session, String, Object...)}, reading the columns of {@code masks} masked. */
    public static Cursor stream(Session session, String sql, ColumnMasks masks, Object... parameters) {
        String statement = checked(session, sql, masks);
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
        return describe(session, sql, ColumnMasks.NONE);
    }

    /** As {@link #describe(Session, String)}, for the statement as it reads the columns of {@code masks}. */
    public static Description describe(Session session, String sql, ColumnMasks masks) {
        String statement = checked(session, sql, masks);
        try {
            return session.describe(statement);
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s", e.getMessage());
        }
    }

    private static String checked(Session session, String sql, ColumnMasks masks) {
        String statement = session.dialect().readStatement(session, sql);
        try {
            return session.dialect().masked(session, statement, masks);
        } catch (SluiceException e) {
            if (e.code() == ErrorCode.USAGE) {
                throw e;
            }
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s", e.getMessage());
        }
    }
}
