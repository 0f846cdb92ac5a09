package dev.sluice;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a command's start-up time goes, for {@code bench/startup}: with the system property {@code sluice.phases} set
 * (to the launch time in epoch milliseconds, or to anything else), each {@link #mark} charges the time since the
 * previous mark to the phase named, and {@link #report} prints the phases on one line. Without the property every
 * call returns at once. Thread-safe.
 */
public final class StartupPhases {
    private static final Recorder RECORDER = System.getProperty("sluice.phases") == null ? null
            : new Recorder(launched(System.getProperty("sluice.phases"), System.currentTimeMillis()),
                    System::currentTimeMillis);

    private StartupPhases() {
    }

    /** The launch time the property gives, or {@code now} when it holds no number. */
    static long launched(String property, long now) {
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            return now;
        }
    }

    /** Charges the time since the previous mark (or the launch) to {@code phase}; repeated phases add up. */
    public static void mark(String phase) {
        if (RECORDER != null) {
            RECORDER.mark(phase);
        }
    }

    /**
     * Runs {@code step} as the phase {@code phase}: its time is charged there, but for the sub-phases it marks itself
     * (opening DuckDB, checking the catalog); what those charge to {@code command} (the step they interrupt) is charged
     * to {@code phase}. Returns what the step returns.
     */
    public static <T> T within(String phase, Supplier<T> step) {
        if (RECORDER == null) {
            return step.get();
        }
        String outer = RECORDER.enter(phase);
        try {
            return step.get();
        } finally {
            RECORDER.leave(phase, outer);
        }
    }

    /** Prints {@code sluice.phases: name=ms ... total=ms} when the property is set. */
    public static void report(PrintWriter err) {
        if (RECORDER != null) {
            err.println(RECORDER.line());
            err.flush();
        }
    }

    /** The phases of one process, timed by {@code clock} (epoch milliseconds) from {@code launched}. */
    static final class Recorder {
        private final Map<String, Long> phases = new LinkedHashMap<>();
        private final LongSupplier clock;
        private long last;
        /** The phase a {@code command} mark is charged to: the step under way, or null for the command itself. */
        private String step;

        Recorder(long launched, LongSupplier clock) {
            this.clock = clock;
            this.last = launched;
        }

        synchronized void mark(String phase) {
            long now = clock.getAsLong();
            phases.merge(step != null && phase.equals("command") ? step : phase, now - last, Long::sum);
            last = now;
        }

        /** Starts the step {@code phase} (what came before it charged as a {@code command} mark); returns the outer step. */
        synchronized String enter(String phase) {
            mark("command");
            String outer = step;
            step = phase;
            return outer;
        }

        /** Ends the step {@code phase}, charging it the time since its last mark, and goes back to {@code outer}. */
        synchronized void leave(String phase, String outer) {
            mark(phase);
            step = outer;
        }

        synchronized String line() {
            StringBuilder line = new StringBuilder("sluice.phases:");
            long total = 0;
            for (Map.Entry<String, Long> phase : phases.entrySet()) {
                line.append(String.format(Locale.ROOT, " %s=%d", phase.getKey(), phase.getValue()));
                total += phase.getValue();
            }
            return line.append(" total=").append(total).toString();
        }
    }
}
