package dev.sluice.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warehouses a long-running process of this JVM ({@code sluice serve}) holds open: while one is hosted, every
 * {@link Engines#open} of it, whatever its access, is handed the hosted engine instead of opening the file again,
 * because DuckDB lets one process hold a file and serves concurrent readers beside a writer only inside it. What is
 * handed out cannot close the hosted engine. Thread-safe.
 */
public final class HostedEngines {
    private static final Map<Path, Engine> HOSTED = new ConcurrentHashMap<>();

    private HostedEngines() {
    }

    /** Hosts {@code engine} for {@code warehouse} until {@link #release}; refuses a warehouse already hosted. */
    public static void host(Path warehouse, Engine engine) {
        if (HOSTED.putIfAbsent(key(warehouse), engine) != null) {
            throw new IllegalStateException("warehouse " + warehouse + " is already hosted in this process");
        }
    }

    /** Stops handing out the engine hosted for {@code warehouse} (the host closes it). */
    public static void release(Path warehouse) {
        HOSTED.remove(key(warehouse));
    }

    /** Whether this process hosts {@code warehouse}. */
    public static boolean hosts(Path warehouse) {
        return HOSTED.containsKey(key(warehouse));
    }

    /** A view of the engine hosted for {@code warehouse} whose close leaves the engine open; empty when none is. */
    static Optional<Engine> borrow(Path warehouse) {
        if (warehouse == null || HOSTED.isEmpty()) {
            return Optional.empty();
        }
        Engine engine = HOSTED.get(key(warehouse));
        return engine == null ? Optional.empty() : Optional.of(new Borrowed(engine));
    }

    private static Path key(Path warehouse) {
        return warehouse.toAbsolutePath().normalize();
    }

    /** The hosted engine lent to one caller: closing it returns it. */
    private static final class Borrowed extends ForwardingEngine {
        Borrowed(Engine engine) {
            super(engine);
        }

        @Override
        public void close() {
            // The host closes the engine when it stops hosting it.
        }
    }
}
