package dev.sluice.engine.duckdb;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * DuckDB's failures that mean the warehouse file is damaged (cut short, overwritten or corrupted), whenever they show:
 * on open, or on the first statement that reads a lost block; and what the user can do about it.
 */
final class DamagedWarehouse {
    /** The two ways out of a damaged warehouse, as every refusal of one ends. */
    static final String ADVICE = Engine.DAMAGED_ADVICE;

    private static final Pattern MESSAGE = Pattern.compile("not a valid DuckDB database file"
            + "|Could not read enough bytes from file|Corrupt database file");

    private DamagedWarehouse() {
    }

    static boolean is(SQLException e) {
        return MESSAGE.matcher(String.valueOf(e.getMessage())).find();
    }

    /** The refusal, for {@code action} ("open warehouse x", "read the warehouse"), keeping DuckDB's own words. */
    static SluiceException error(String action, SQLException e) {
        return new SluiceException(ErrorCode.WAREHOUSE_DAMAGED, e, "Cannot %s: the file is damaged or not a DuckDB "
                + "database (%s); %s", action, DuckDbSession.cleanMessage(e), ADVICE);
    }
}
