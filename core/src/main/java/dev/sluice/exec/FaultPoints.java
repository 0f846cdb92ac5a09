package dev.sluice.exec;

import dev.sluice.engine.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Named points on the write path where tests inject failures, so that every failure path is testable without
 * sleeps. A test in the same JVM arms a point with an action; a forked Sluice started with
 * {@code -Dsluice.fault.pause=POINT:MODEL} stops at that point for that model, says so on standard error and waits
 * to be killed. Inert unless armed. Thread-safe.
 */
public final class FaultPoints {
    /**
     * After a build staged its new rows (in its open transaction), before the gate audits them; the session is the
     * build's.
     */
    public static final String AFTER_STAGE = "after-stage";
    /**
     * After a build's gate passed and its rows moved into place (the transaction still open), before its records and
     * its lake version pointer are written.
     */
    public static final String AFTER_AUDIT = "after-audit";
    /**
     * In the middle of a lake write: the new version's files are on disk, the model's current version pointer not yet
     * moved to it (the transaction still open).
     */
    public static final String LAKE_WRITE = "lake-write";
    /**
     * In the middle of the best-effort work after a commit: older lake versions deleted and statistics taken, the
     * published model not yet measured.
     */
    public static final String POST_COMMIT = "post-commit";
    /**
     * In the middle of {@code sluice optimize}'s compaction of a lake model: the compacted version written, the
     * version pointer not yet moved to it; the model is the stored model's name.
     */
    public static final String COMPACTION = "compaction";
    /** Every point on the write path of a build, in the order a build reaches them. */
    public static final java.util.List<String> BUILD_PATH = java.util.List.of("after-stage", "lake-write",
            "after-audit", "commit", "after-commit", "post-commit");
    /**
     * Just before a model's publishing transaction commits (the point "before commit"); the action gets the model's
     * name and the transaction's session. An action that throws makes the commit fail.
     */
    public static final String COMMIT = "commit";
    /**
     * After a model's publishing transaction committed, before the best-effort work that follows it (cleaning up
     * older lake versions, measuring); the session is the committed one.
     */
    public static final String AFTER_COMMIT = "after-commit";
    /** At the start of a model's build, before anything is read or written; the session is null. */
    public static final String BUILD = "build";
    /**
     * After a model's build ended (published or failed) and was reported, before the models that read it start;
     * the session is null.
     */
    public static final String MODEL_FINISHED = "model-finished";
    /** The system property naming the point where a forked Sluice stops: {@code POINT:MODEL}. */
    public static final String PAUSE_PROPERTY = "sluice.fault.pause";
    /** What a paused Sluice prints on standard error, followed by {@code POINT:MODEL}. */
    public static final String PAUSED = "sluice: paused at fault point ";

    /** What happens at an armed point. */
    @FunctionalInterface
    public interface Action {
        void reached(String model, Session session);
    }

    private static final Map<String, Action> ARMED = new ConcurrentHashMap<>();

    private FaultPoints() {
    }

    /** Arms a point: {@code action} runs each time a model reaches it, until {@link #disarm(String)}. */
    public static void arm(String point, Action action) {
        ARMED.put(point, action);
    }

    public static void disarm(String point) {
        ARMED.remove(point);
    }

    static void reach(String point, String model, Session session) {
        String pause = System.getProperty(PAUSE_PROPERTY);
        if (pause != null && pause.equalsIgnoreCase(point + ":" + model)) {
            System.err.println(PAUSED + point + ":" + model);
            System.err.flush();
            try {
                // Held here until the process is killed: the test decides exactly where the kill lands.
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while paused at fault point " + point, e);
            }
        }
        Action action = ARMED.get(point);
        if (action != null) {
            action.reached(model, session);
        }
    }
}
