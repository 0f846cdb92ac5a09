package dev.sluice.cli;

import dev.sluice.ErrorCode;
import dev.sluice.Schedule;
import dev.sluice.ScheduleRun;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "List the schedules of sluice.yml: their next due times, last run and missed due times.")
final class SchedulesCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    /** Missed due times are counted up to this many. */
    private static final int MISSED_LIMIT = 1000;

    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "How many next due times (default "
            + "${DEFAULT-VALUE}).")
    int count = 3;

    @Option(names = "--from", paramLabel = "INSTANT", description = "List the due times after this UTC instant "
            + "(such as 2026-01-05T10:00:00Z) instead of now.")
    Instant from;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot list schedules with --count %d: use 1 or more", count);
        }
        Sluice sluice = Sluice.open(dir);
        PrintWriter out = spec.commandLine().getOut();
        List<Schedule> schedules = sluice.schedules();
        if (schedules.isEmpty()) {
            out.println("No schedules: add them under schedules: in sluice.yml (see the README, Schedules).");
            return 0;
        }
        Instant now = from == null ? Instant.now() : from;
        Map<String, ScheduleRun> last = new HashMap<>();
        String catalogProblem = null;
        try {
            sluice.lastScheduleRuns().forEach(run -> last.put(run.schedule(), run));
        } catch (SluiceException e) {
            if (e.code() != ErrorCode.WAREHOUSE_LOCKED) {
                throw e;
            }
            // The schedules and their due times are still worth showing while a run holds the warehouse.
            catalogProblem = e.getMessage();
        }
        for (Schedule schedule : schedules) {
            out.printf("%s  cron \"%s\" in %s  %s  catch_up %s  max_concurrency %d%n", schedule.name(),
                    schedule.cron(), schedule.zone(), selection(schedule),
                    schedule.catchUp().name().toLowerCase(Locale.ROOT), schedule.maxConcurrency());
            Instant after = now;
            for (int i = 0; i < count; i++) {
                Optional<ZonedDateTime> due = schedule.nextDue(after);
                if (due.isEmpty()) {
                    break;
                }
                out.printf("  next   %s%n", time(due.get().toInstant(), schedule));
                after = due.get().toInstant();
            }
            if (catalogProblem != null) {
                out.printf("  last   unknown: %s%n", catalogProblem);
                continue;
            }
            ScheduleRun run = last.get(schedule.name());
            if (run == null) {
                out.println("  last   none recorded");
                continue;
            }
            out.printf("  last   %s  %s%n", time(run.due(), schedule), outcome(run));
            int missed = schedule.dueTimes(run.due(), now, MISSED_LIMIT).size();
            out.printf("  missed %s%n", missed == 0 ? "none since the last recorded due time"
                    : (missed == MISSED_LIMIT ? "at least " : "") + missed + " due time" + (missed == 1 ? "" : "s")
                            + " since the last recorded one, while no server ran; catch_up "
                            + schedule.catchUp().name().toLowerCase(Locale.ROOT) + " applies when sluice serve starts");
        }
        return 0;
    }

    private static String selection(Schedule schedule) {
        StringBuilder text = new StringBuilder(schedule.select().isEmpty() ? "every model"
                : "--select " + String.join(" ", schedule.select()));
        if (!schedule.exclude().isEmpty()) {
            text.append(" --exclude ").append(String.join(" ", schedule.exclude()));
        }
        schedule.vars().forEach((name, value) -> text.append(" --var ").append(name).append('=').append(value));
        return text.toString();
    }

    /** A due time in the schedule's zone, and in UTC when that differs. */
    private static String time(Instant instant, Schedule schedule) {
        ZonedDateTime local = instant.atZone(schedule.zone());
        String utc = TIME.format(instant.atZone(ZoneOffset.UTC)) + " UTC";
        return schedule.zone().normalized().equals(ZoneOffset.UTC) ? utc
                : TIME.format(local) + " " + schedule.zone() + " (" + utc + ")";
    }

    private static String outcome(ScheduleRun run) {
        return switch (run.status()) {
            case STARTED -> "started run " + run.runId() + " (" + (run.runStatus() == null ? "unknown"
                    : run.runStatus()) + ")";
            case SKIPPED, MISSED, FAILED -> run.status().name().toLowerCase(Locale.ROOT) + ": " + run.reason();
        };
    }
}
