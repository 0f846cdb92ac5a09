package dev.sluice.cli;

import dev.sluice.ModelInfo;
import dev.sluice.ProjectInfo;
import dev.sluice.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the models and sources of a pipeline.")
final class LsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(dir);
        ProjectInfo project = sluice.project();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Models (%s):%n", project.name());
        List<List<String>> models = new java.util.ArrayList<>();
        models.add(List.of("MODEL", "MATERIALIZED", "UPSTREAM", "TAGS"));
        for (ModelInfo model : sluice.models()) {
            models.add(List.of(model.qualifiedName(), model.materialized(),
                    String.valueOf(model.upstreamModels().size() + model.upstreamSources().size()),
                    String.join(",", model.tags())));
        }
        print(out, models);
        out.println("Sources:");
        List<List<String>> sources = new java.util.ArrayList<>();
        sources.add(List.of("SOURCE", "TYPE"));
        for (ProjectInfo.SourceInfo source : project.sources()) {
            sources.add(List.of(source.qualifiedName(), source.type()));
        }
        print(out, sources);
        return 0;
    }

    /** Rows in columns as wide as their widest cell, so that long names never shift the columns after them. */
    private static void print(PrintWriter out, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + widths[i] + "s  ",
                        row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
