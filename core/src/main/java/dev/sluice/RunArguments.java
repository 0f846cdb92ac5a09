package dev.sluice;

/** The arguments a run is recorded with in the catalog ({@code sluice.runs.args}), as the command line gives them. */
final class RunArguments {
    private RunArguments() {
    }

    /** The run's arguments as recorded in the catalog; var values are user input, never secrets. */
    static String of(RunOptions options) {
        StringBuilder args = new StringBuilder();
        options.select().forEach(s -> args.append(" --select ").append(s));
        options.exclude().forEach(s -> args.append(" --exclude ").append(s));
        options.vars().forEach((k, v) -> args.append(" --var ").append(k).append('=').append(v));
        if (options.threads() > 0) {
            args.append(" --threads ").append(options.threads());
        }
        if (options.failFast()) {
            args.append(" --fail-fast");
        }
        if (options.resume()) {
            args.append(" --resume");
        }
        if (options.fullRefresh()) {
            args.append(" --full-refresh");
        }
        return args.toString().strip();
    }

    /** A backfill's arguments as recorded in the catalog. */
    static String of(Backfill backfill) {
        return "--select " + backfill.model() + " --from " + backfill.from() + " --to " + backfill.to()
                + (backfill.cascade() ? "" : " --no-cascade");
    }
}
