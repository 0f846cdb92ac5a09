package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;

/** Spark's failures as Sluice's: the first line of Spark's message, which names the error class and the object. */
final class SparkFailures {
    private SparkFailures() {
    }

    /** The first line of the deepest informative message of {@code e}. */
    static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage()).strip();
        int line = message.indexOf('\n');
        return line < 0 ? message : message.substring(0, line).strip();
    }

    /** {@code e}, which Spark threw running {@code sql}, as a run failure. */
    static SluiceException failure(Throwable e, String sql) {
        if (e instanceof SluiceException sluice) {
            return sluice;
        }
        return new SluiceException(ErrorCode.RUN_FAILED, e, "Spark failed the statement: %s (statement: %s)",
                message(e), abbreviated(sql));
    }

    private static String abbreviated(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + " …";
    }
}
