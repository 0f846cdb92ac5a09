package dev.sluice;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a command's start-up time goes, for {@code bench/startup}: with the system property {@code sluice.phases} set
 * (to the launch time in epoch milliseconds, or to anything else), each {@link #mark} charges the time since the
 * previous mark to the phase named, and {@link #report} prints the phases on one line. On Linux it also counts the
 * process's minor page faults per phase (a fresh page costs about 10 µs in some virtual machines: bench/STARTUP.md,
 * round 10) and prints them on a second line, {@code sluice.faults:}. Without the property every call returns at
 * once. Thread-safe.
 */
public final class StartupPhases {
    /** Where Linux tells a process's counters, among them its minor faults. */
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Recorder RECORDER = System.getProperty("sluice.phases") == null ? null
            : new Recorder(launched(System.getProperty("sluice.phases"), System.currentTimeMillis()),
                    System::currentTimeMillis, StartupPhases::minorFaults);

    private StartupPhases() {
    }

    /** The process's minor page faults so far, from {@link #STAT}; 0 where there is none (not Linux). */
    private static long minorFaults() {
        try {
            return minorFaults(Files.readString(STAT));
        } catch (IOException e) {
            return 0;
        }
    }

    /** The minor faults in a {@code /proc/<pid>/stat} line: the 10th field, the 8th after the command's ")". */
    static long minorFaults(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
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

    /**
     * Prints {@code sluice.phases: name=ms ... total=ms} and {@code sluice.faults: name=faults ... total=faults}
     * when the property is set.
     */
    public static void report(PrintWriter err) {
        if (RECORDER != null) {
            err.println(RECORDER.line());
            err.println(RECORDER.faultsLine());
            err.flush();
        }
    }

    /**
     * The phases of one process, timed by {@code clock} (epoch milliseconds) from {@code launched}, with the page
     * faults {@code faults} counts (from the process's start) in each.
     */
    static final class Recorder {
        private final Map<String, Long> phases = new LinkedHashMap<>();
        private final Map<String, Long> phaseFaults = new LinkedHashMap<>();
        private final LongSupplier clock;
        private final LongSupplier faults;
        private long last;
        private long lastFaults;
        /** The phase a {@code command} mark is charged to: the step under way, or null for the command itself. */
        private String step;

        Recorder(long launched, LongSupplier clock, LongSupplier faults) {
            this.clock = clock;
            this.faults = faults;
            this.last = launched;
        }

        synchronized void mark(String phase) {
            long now = clock.getAsLong();
            long faulted = faults.getAsLong();
            String charged = step != null && phase.equals("command") ? step : phase;
            phases.merge(charged, now - last, Long::sum);
            phaseFaults.merge(charged, faulted - lastFaults, Long::sum);
            last = now;
            lastFaults = faulted;
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
            return line("sluice.phases:", phases);
        }

        synchronized String faultsLine() {
            return line("sluice.faults:", phaseFaults);
        }

        private static String line(String title, Map<String, Long> amounts) {
            StringBuilder line = new StringBuilder(title);
            long total = 0;
            for (Map.Entry<String, Long> phase : amounts.entrySet()) {
                line.append(String.format(Locale.ROOT, " %s=%d", phase.getKey(), phase.getValue()));
                total += phase.getValue();
            }
            return line.append(" total=").append(total).toString();
        }
    }
}
