package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Lineage;
import dev.sluice.LineageReport;
import dev.sluice.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Show where a column comes from (upstream, the default) or what is computed from it.")
final class LineageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET",
            description = "A column (model.column, or schema.table.column of a model or source), or a whole model or "
                    + "source (model, or schema.table).")
    String target;

    @Option(names = "--pii", description = "List every column holding personal data: declared pii: true, and all "
            + "columns computed from them.")
    boolean pii;

    @Option(names = "--upstream", description = "Where the column comes from: its origins (the default).")
    boolean upstream;

    @Option(names = "--downstream", description = "Everything computed from the column, instead of its origins.")
    boolean downstream;

    @Option(names = "--from", paramLabel = "COLUMN",
            description = "Show only the path by which COLUMN (the positional one) depends on this column.")
    String from;

    @Option(names = "--as-of", paramLabel = "RUN", description = "The lineage run RUN planned, from the catalog.")
    Long asOf;

    @Option(names = "--depth", paramLabel = "N", description = "At most N steps (default: all).")
    int depth;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, json, dot, mermaid or openlineage (a run event for the column's model; default "
                    + "${DEFAULT-VALUE}).")
    LineageFormat format = LineageFormat.text;

    @Spec
    CommandSpec spec;

    /** How lineage is printed. */
    enum LineageFormat { text, json, dot, mermaid, openlineage }

    @Override
    public Integer call() throws JsonProcessingException {
        if (upstream && downstream) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Cannot show lineage both ways at once: use --upstream or --downstream");
        }
        if (target == null && !pii) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Cannot show lineage: name a COLUMN (model.column), or use --pii");
        }
        Sluice sluice = Sluice.open(dir);
        // The text of a column's origins shows each step's quality: read with the plan, in one warehouse opening.
        LineageReport report = asOf == null && !pii && !downstream && format == LineageFormat.text
                ? sluice.lineageWithQuality() : null;
        Lineage lineage = report != null ? report.lineage() : asOf == null ? sluice.lineage() : sluice.lineageAsOf(asOf);
        PrintWriter out = spec.commandLine().getOut();
        if (pii) {
            lineage.pii().forEach((column, declared) -> out.printf("%-50s from %s%n", column, String.join(", ", declared)));
            if (!lineage.underived().isEmpty()) {
                out.println("Lineage not derivable for models (all their columns count as personal data when what "
                        + "they read has some):");
                lineage.underivedLines().forEach(line -> out.println("  " + line));
            }
            return 0;
        }
        List<String> whole = lineage.columnsOf(target);
        String column = whole.isEmpty() ? lineage.resolve(target) : Lineage.relationOf(whole.get(0));
        List<String> columns = whole.isEmpty() ? List.of(column) : whole;
        List<Lineage.Edge> edges = from != null ? lineage.path(from, columns.get(0))
                : downstream ? lineage.downstream(columns, depth) : lineage.upstream(columns, depth);
        switch (format) {
            case text -> {
                out.printf("%s%s:%n", from != null ? "Path from " + lineage.resolve(from) + " to "
                        : downstream ? "Downstream of " : "Upstream of ", column);
                for (Lineage.Edge edge : edges) {
                    String expression = edge.type().equals("DIRECT") ? lineage.expression(edge.to()) : null;
                    out.printf("  %s <- %s (%s %s%s)%s%n", edge.to(), edge.from(),
                            edge.type().toLowerCase(java.util.Locale.ROOT), edge.subtype().toLowerCase(java.util.Locale.ROOT),
                            edge.masking() ? ", masked" : "", expression == null || edge.subtype().equals("IDENTITY")
                                    ? "" : ": " + expression.replaceAll("\\s+", " "));
                }
                if (edges.isEmpty()) {
                    out.println("  (none)");
                }
                if (!downstream) {
                    printQuality(out, sluice, report, whole.isEmpty() ? Lineage.relationOf(column) : column, edges);
                }
                if (!lineage.underived().isEmpty()) {
                    out.println("Lineage not derivable for models:");
                    lineage.underivedLines().forEach(line -> out.println("  " + line));
                }
                if (!lineage.icebergSnapshots().isEmpty()) {
                    out.printf("Iceberg snapshots as of run %d:%n", asOf);
                    lineage.icebergSnapshots().forEach((model, snapshot) -> out.printf("  %s: %d%n", model, snapshot));
                }
            }
            case json -> {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("column", column);
                document.put("direction", downstream ? "downstream" : "upstream");
                document.put("edges", edges.stream().map(edge -> json(lineage, edge)).toList());
                document.put("underived_models", lineage.underived());
                document.put("underived_reasons", lineage.underivedReasons());
                if (!lineage.icebergSnapshots().isEmpty()) {
                    document.put("iceberg_snapshots", lineage.icebergSnapshots());
                }
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
            }
            case dot -> {
                out.println("digraph lineage {");
                out.println("  rankdir=LR;");
                for (Lineage.Edge edge : edges) {
                    out.printf("  \"%s\" -> \"%s\" [label=\"%s\"%s];%n", edge.from(), edge.to(), edge.subtype(),
                            edge.type().equals("DIRECT") ? "" : ", style=dashed");
                }
                out.println("}");
            }
            case openlineage -> {
                String model = whole.isEmpty() ? Lineage.relationOf(column) : column;
                ObjectMapper json = new ObjectMapper();
                out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(
                        sluice.openLineageEvent(lineage, model))));
            }
            case mermaid -> {
                out.println("graph LR");
                for (Lineage.Edge edge : edges) {
                    out.printf("  %s[\"%s\"] %s %s[\"%s\"]%n", id(edge.from()), edge.from(),
                            edge.type().equals("DIRECT") ? "-->|" + edge.subtype() + "|" : "-.->|" + edge.subtype() + "|",
                            id(edge.to()), edge.to());
                }
            }
        }
        return 0;
    }

    /**
     * For root-cause analysis: each step's quality results in the last run that checked it, from {@code report} (read
     * with the plan), or for lineage as of a past run read now in one catalog read.
     */
    private static void printQuality(PrintWriter out, Sluice sluice, LineageReport report, String target,
            List<Lineage.Edge> edges) {
        java.util.Set<String> relations = new java.util.TreeSet<>();
        relations.add(target);
        edges.forEach(edge -> relations.add(Lineage.relationOf(edge.from())));
        java.util.Set<String> sources = new java.util.HashSet<>();
        sluice.project().sources().forEach(source -> sources.add(source.qualifiedName()));
        Map<String, String> owners = new LinkedHashMap<>();
        for (String relation : relations) {
            owners.put(relation, sources.contains(relation) ? relation : relation.substring(relation.indexOf('.') + 1));
        }
        Map<String, List<dev.sluice.QualityCheck>> latest = report != null ? report.latestQuality()
                : sluice.latestQuality(new java.util.LinkedHashSet<>(owners.values()));
        owners.forEach((relation, owner) -> {
            List<dev.sluice.QualityCheck> results = latest.getOrDefault(owner, List.of());
            if (!results.isEmpty()) {
                out.printf("Quality of %s in run %d: %s%n", relation, results.get(0).runId(), String.join(", ",
                        results.stream().map(r -> r.rule() + " " + r.verdict()).toList()));
            }
        });
    }

    private static Map<String, Object> json(Lineage lineage, Lineage.Edge edge) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", edge.from());
        json.put("to", edge.to());
        json.put("type", edge.type());
        json.put("subtype", edge.subtype());
        json.put("masking", edge.masking());
        if (edge.type().equals("DIRECT") && lineage.expression(edge.to()) != null) {
            json.put("expression", lineage.expression(edge.to()));
        }
        return json;
    }

    private static String id(String column) {
        return column.replaceAll("\\W", "_");
    }
}
