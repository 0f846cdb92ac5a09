package dev.sluice;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

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

        Recorder(long launched, LongSupplier clock) {
            this.clock = clock;
            this.last = launched;
        }

        synchronized void mark(String phase) {
            long now = clock.getAsLong();
            phases.merge(phase, now - last, Long::sum);
            last = now;
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
