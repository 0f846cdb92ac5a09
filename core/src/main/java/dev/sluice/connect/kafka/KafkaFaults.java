package dev.sluice.connect.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named points in a kafka source's load where tests in this package inject failures (stop the broker, crash the
 * load), so that each failure path is tested without sleeps. Inert unless armed; the connector package cannot see
 * exec's {@code FaultPoints}, which name points of a model's build. Thread-safe.
 */
final class KafkaFaults {
    /** After a poll brought records and they went to the staging table; the action gets the source's name. */
    static final String AFTER_BATCH = "after-batch";
    /** The rows, rejects, offsets and load record are written, the transaction not yet committed. */
    static final String BEFORE_COMMIT = "before-commit";

    private static final Map<String, Consumer<String>> ARMED = new ConcurrentHashMap<>();

    private KafkaFaults() {
    }

    static void arm(String point, Consumer<String> action) {
        ARMED.put(point, action);
    }

    static void disarm(String point) {
        ARMED.remove(point);
    }

    static void reach(String point, String source) {
        Consumer<String> action = ARMED.get(point);
        if (action != null) {
            action.accept(source);
        }
    }
}
