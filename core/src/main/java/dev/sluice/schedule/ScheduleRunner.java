package dev.sluice.schedule;

import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Schedule;
import dev.sluice.ScheduleRun;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the schedules of a project's sluice.yml at their due times until closed: the runner {@code sluice serve}
 * starts. Runs go through {@link Sluice#run} (so the warehouse lock rules hold), one at a time on one thread of
 * its own, since a warehouse has one writer; a second thread watches the clock. At start it looks in the catalog
 * for the due times that passed since each schedule's last recorded one and applies its {@code catch_up}. Every
 * due time is recorded in the catalog: the run it started, or why it started none. Thread-safe.
 */
public final class ScheduleRunner implements AutoCloseable {
    /** The longest the clock goes unread: a wall clock may jump (a suspended laptop, an NTP step). */
    private static final Duration TICK = Duration.ofSeconds(1);

    /** What the runner did at a due time, told once it is recorded (or could not be): for tests and the server. */
    interface Observer {
        Observer NONE = outcome -> { };

        void decided(ScheduleRun outcome);
    }

    /**
     * How the runner starts a run: {@code Sluice::run} unless the process reports runs elsewhere too (the server's
     * metrics).
     */
    @FunctionalInterface
    public interface Runs {
        RunResult run(RunOptions options, RunListener listener);
    }

    private final Sluice sluice;
    private final Runs runs;
    private final Clock clock;
    private final RunListener listener;
    private final Observer observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<String, Instant> cursors = new LinkedHashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final List<ScheduleRun> unrecorded = new ArrayList<>();
    private final ExecutorService worker;
    private final Thread ticker;
    private boolean closed;
    private boolean woken;

    private ScheduleRunner(Sluice sluice, Runs runs, Clock clock, RunListener listener, Observer observer) {
        this.sluice = sluice;
        this.runs = runs;
        this.clock = clock;
        this.listener = listener;
        this.observer = observer;
        this.worker = Executors.newSingleThreadExecutor(task -> daemon(task, "sluice-schedule-runs"));
        this.ticker = daemon(this::tick, "sluice-schedules");
    }

    /** Starts running the project's schedules on the given clock; {@link #close} stops it. */
    public static ScheduleRunner start(Sluice sluice, Clock clock) {
        return start(sluice, clock, RunListener.NONE);
    }

    /** As {@link #start(Sluice, Clock)}, telling the listener about the models of each run. */
    public static ScheduleRunner start(Sluice sluice, Clock clock, RunListener listener) {
        return start(sluice, clock, listener, Observer.NONE);
    }

    /**
     * As {@link #start(Sluice, Clock)}, starting each run through {@code runs} (which runs {@code sluice}), so that
     * the caller sees every run's result.
     */
    public static ScheduleRunner start(Sluice sluice, Runs runs, Clock clock) {
        return start(sluice, runs, clock, RunListener.NONE, Observer.NONE);
    }

    static ScheduleRunner start(Sluice sluice, Clock clock, RunListener listener, Observer observer) {
        return start(sluice, sluice::run, clock, listener, observer);
    }

    static ScheduleRunner start(Sluice sluice, Runs runs, Clock clock, RunListener listener, Observer observer) {
        ScheduleRunner runner = new ScheduleRunner(sluice, runs, clock, listener, observer);
        runner.catchUp();
        runner.ticker.start();
        return runner;
    }

    /** The schedules this runner runs. */
    public List<Schedule> schedules() {
        return sluice.schedules();
    }

    /** Reads the clock now instead of at the next tick: for a clock that was moved (a test's). */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking due times, lets the running run finish, and records the queued ones as skipped; returns once the
     * running run has finished and everything is recorded that can be.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            // the ticker's last pass decides the due times the clock reached before close, on the worker
            ticker.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        worker.execute(this::record);
        worker.shutdown();
        while (true) {
            try {
                if (worker.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applies each schedule's catch_up to the due times since its last recorded one; the cursors start at now. */
    private void catchUp() {
        Instant now = clock.instant();
        Map<String, Instant> lastDue = new HashMap<>();
        for (ScheduleRun last : sluice.lastScheduleRuns()) {
            lastDue.put(last.schedule(), last.due());
        }
        lock.lock();
        try {
            for (Schedule schedule : sluice.schedules()) {
                cursors.put(schedule.name(), now);
                Instant after = lastDue.get(schedule.name());
                // A schedule never seen before has missed nothing: it starts now.
                List<Instant> dues = after == null ? List.of() : DueTimes.between(schedule, after, now);
                for (int i = 0; i < dues.size(); i++) {
                    boolean runs = switch (schedule.catchUp()) {
                        case NONE -> false;
                        case LAST -> i == dues.size() - 1;
                        case ALL -> true;
                    };
                    if (runs) {
                        submit(schedule, dues.get(i));
                    } else {
                        decide(ScheduleRun.without(schedule.name(), dues.get(i), ScheduleRun.Status.MISSED,
                                "no server ran at its due time and catch_up is "
                                        + schedule.catchUp().name().toLowerCase(java.util.Locale.ROOT)));
                    }
                }
            }
            flushLater();
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        lock.lock();
        try {
            while (true) {
                Instant now = clock.instant();
                for (Schedule schedule : sluice.schedules()) {
                    for (Instant due : DueTimes.between(schedule, cursors.get(schedule.name()), now)) {
                        due(schedule, due);
                    }
                    cursors.put(schedule.name(), now);
                }
                flushLater();
                // a due time reached before close is decided (queued, then skipped) even when close came first
                if (closed) {
                    break;
                }
                if (!woken) {
                    wake.await(TICK.toMillis(), TimeUnit.MILLISECONDS);
                }
                woken = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** A due time the clock reached: a run, unless max_concurrency runs of the schedule are queued or running. */
    private void due(Schedule schedule, Instant due) {
        int running = inFlight.getOrDefault(schedule.name(), 0);
        if (running >= schedule.maxConcurrency()) {
            decide(ScheduleRun.without(schedule.name(), due, ScheduleRun.Status.SKIPPED, running + " run"
                    + (running == 1 ? " of the schedule was" : "s of the schedule were") + " still queued or running "
                    + "(max_concurrency " + schedule.maxConcurrency() + ")"));
        } else {
            submit(schedule, due);
        }
    }

    private void submit(Schedule schedule, Instant due) {
        inFlight.merge(schedule.name(), 1, Integer::sum);
        worker.execute(() -> run(schedule, due));
    }

    /** On the worker thread: runs one due time of a schedule through the public API. */
    private void run(Schedule schedule, Instant due) {
        ScheduleRun outcome;
        lock.lock();
        try {
            if (closed) {
                inFlight.merge(schedule.name(), -1, Integer::sum);
                decide(ScheduleRun.without(schedule.name(), due, ScheduleRun.Status.SKIPPED,
                        "the server stopped before its run started"));
                return;
            }
        } finally {
            lock.unlock();
        }
        record();
        try {
            RunResult result = runs.run(schedule.runOptions(due), listener);
            outcome = new ScheduleRun(schedule.name(), due, ScheduleRun.Status.STARTED, result.runId(),
                    result.succeeded() ? "success" : "failed", null);
        } catch (SluiceException e) {
            // Recorded as failed unless the run started (then its row links to the run, which says it failed).
            outcome = ScheduleRun.without(schedule.name(), due, ScheduleRun.Status.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            outcome = ScheduleRun.without(schedule.name(), due, ScheduleRun.Status.FAILED, String.valueOf(e));
        }
        lock.lock();
        try {
            inFlight.merge(schedule.name(), -1, Integer::sum);
            if (outcome.status() == ScheduleRun.Status.STARTED) {
                observer.decided(outcome);
            } else {
                decide(outcome);
            }
        } finally {
            lock.unlock();
        }
        record();
    }

    /** Keeps a due time that started no run, for {@link #record} to write. Called holding the lock. */
    private void decide(ScheduleRun outcome) {
        unrecorded.add(outcome);
    }

    /** Has the worker write what is unrecorded once the run under way (if any) is over. Called holding the lock. */
    private void flushLater() {
        if (!unrecorded.isEmpty() && !worker.isShutdown()) {
            worker.execute(this::record);
        }
    }

    /**
     * On the worker thread: writes the due times that started no run. When the warehouse is held (a run of another
     * process, or the server's), they stay unrecorded and are written after the next run.
     */
    private void record() {
        List<ScheduleRun> batch;
        lock.lock();
        try {
            batch = List.copyOf(unrecorded);
            unrecorded.clear();
        } finally {
            lock.unlock();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            sluice.recordScheduleRuns(batch);
        } catch (RuntimeException e) {
            lock.lock();
            try {
                unrecorded.addAll(0, batch);
            } finally {
                lock.unlock();
            }
            listener.notice("Cannot record " + batch.size() + (batch.size() == 1 ? " due time" : " due times")
                    + " of the schedules in sluice.schedule_runs: "
                    + e.getMessage() + "; they are recorded after the next run");
            return;
        }
        batch.forEach(observer::decided);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
