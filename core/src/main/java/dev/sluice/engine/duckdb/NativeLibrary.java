package dev.sluice.engine.duckdb;

/**
 * DuckDB's native library, loaded by the driver's {@code DuckDBNative} on first use: loaded here ahead of the first
 * connection so that start-up phases ({@link dev.sluice.StartupPhases}) tell the library's load from the open.
 */
final class NativeLibrary {
    private NativeLibrary() {
    }

    /** Loads the library once per class loader; later calls return at once. */
    static void load() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            try {
                Class.forName("org.duckdb.DuckDBNative", true, NativeLibrary.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the DuckDB driver is on the class path of this build", e);
            }
        }

        static void touch() {
        }
    }
}
