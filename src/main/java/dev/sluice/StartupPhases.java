package dev.sluice;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command's start-up time goes, for {@code bench/startup}: with the system property {@code sluice.phases} set
 * (to the launch time in epoch milliseconds, or to anything else), each {@link #mark} charges the time since the
 * previous mark to the phase named, and {@link #report} prints the phases on one line. Without the property every
 * call returns at once. Thread-safe.
 */
public final class StartupPhases {
    private static final String PROPERTY = "sluice.phases";
    private static final boolean ON = System.getProperty(PROPERTY) != null;
    private static final Map<String, Long> PHASES = new LinkedHashMap<>();
    private static long last = launched();

    private StartupPhases() {
    }

    private static long launched() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return System.currentTimeMillis();
        }
    }

    /** Charges the time since the previous mark (or the launch) to {@code phase}; repeated phases add up. */
    public static void mark(String phase) {
        if (!ON) {
            return;
        }
        synchronized (PHASES) {
            long now = System.currentTimeMillis();
            PHASES.merge(phase, now - last, Long::sum);
            last = now;
        }
    }

    /** Prints {@code sluice.phases: name=ms ... total=ms} when the property is set. */
    public static void report(PrintWriter err) {
        if (!ON) {
            return;
        }
        StringBuilder line = new StringBuilder("sluice.phases:");
        long total = 0;
        synchronized (PHASES) {
            for (Map.Entry<String, Long> phase : PHASES.entrySet()) {
                line.append(String.format(Locale.ROOT, " %s=%d", phase.getKey(), phase.getValue()));
                total += phase.getValue();
            }
        }
        err.println(line.append(" total=").append(total));
        err.flush();
    }
}
