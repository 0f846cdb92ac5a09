package dev.sluice.cli;

import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Build the selected models in dependency order.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Option(names = "--threads", paramLabel = "N", description = "Models built at once (default: the project's "
            + "threads, else the engine's choice: one on DuckDB, whose statements use every core, one per core on "
            + "Spark).")
    int threads;

    @Option(names = "--fail-fast", description = "Stop at the first failure instead of finishing independent models.")
    boolean failFast;

    @Option(names = "--resume", description = "Rerun only the models that failed or were skipped in the last run.")
    boolean resume;

    @Option(names = "--full-refresh", description = "Rebuild incremental state from scratch.")
    boolean fullRefresh;

    @Option(names = "--openlineage", paramLabel = "TARGET", description = "Send an OpenLineage run event (START, then "
            + "COMPLETE or FAIL) per model build to TARGET: an http(s) URL such as http://localhost:5000/api/v1/lineage, "
            + "or a file, appended one JSON event per line.")
    String openLineage;

    @Option(names = "--metrics-file", paramLabel = "PATH", description = "Write the run's metrics in the Prometheus "
            + "text format to PATH when it ends, also when it fails (for the node exporter's textfile collector).")
    java.nio.file.Path metricsFile;

    @Option(names = "--engine", paramLabel = "NAME", description = "Run on this engine instead of sluice.yml's "
            + "engine: (duckdb, or spark when sluice-spark is on the class path).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "The Spark master to run on (local[4], "
            + "spark://host:7077), over engine: master in sluice.yml.")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunOptions options = project.options().withThreads(threads);
        if (failFast) {
            options = options.withFailFast();
        }
        if (resume) {
            options = options.withResume();
        }
        if (fullRefresh) {
            options = options.withFullRefresh();
        }
        if (openLineage != null) {
            options = options.withOpenLineage(openLineage);
        }
        RunOptions chosen = options;
        java.util.Map<String, String> engineSettings = master == null ? java.util.Map.of()
                : java.util.Map.of("master", master);
        return RunOutput.run(spec, metricsFile, () -> engine == null && master == null
                ? Sluice.open(project.dir, project.vars) : Sluice.open(project.dir, project.vars, engine,
                        engineSettings),
                (sluice, listener) -> ((Main) spec.root().userObject()).run(sluice, chosen, listener));
    }
}
