package dev.sluice.jdbc;

import dev.sluice.SluiceException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;

/** Sluice's errors as JDBC's: the message kept as is, the SQL state and subclass from whose fault it is. */
final class Failures {
    private Failures() {
    }

    static SQLException of(SluiceException e) {
        int code = e.code().exitCode();
        return switch (e.code().fault()) {
            // A selection, statement or argument the caller can fix: 42000 (syntax error or access rule violation).
            case USER -> new SQLSyntaxErrorException(e.getMessage(), "42000", code, e);
            // Another process holds the warehouse: retry later.
            case BUSY -> new SQLTransientException(e.getMessage(), "55006", code, e);
            case RUN -> new SQLException(e.getMessage(), "HY000", code, e);
            case WAREHOUSE -> new SQLNonTransientConnectionException(e.getMessage(), "08004", code, e);
            case INTERNAL -> new SQLException(e.getMessage(), "XX000", code, e);
        };
    }
}
