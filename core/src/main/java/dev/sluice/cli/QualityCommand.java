package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.QualityCheck;
import dev.sluice.QualityMetric;
import dev.sluice.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Show quality results and the trend of each metric over the last runs.")
final class QualityCommand implements Callable<Integer> {
    private static final String BARS = "▁▂▃▄▅▆▇█";

    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Only this model (or schema.table of a source).")
    String model;

    @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule.")
    String rule;

    @Option(names = "--last", paramLabel = "N", description = "How many runs (default ${DEFAULT-VALUE}).")
    int last = 10;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default ${DEFAULT-VALUE}).")
    String format = "text";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Sluice sluice = Sluice.open(dir);
        // One opening of the warehouse for both: each costs as much as the queries on a small project.
        dev.sluice.QualityHistory history = sluice.qualityHistory(model, rule, last);
        List<QualityCheck> results = history.results();
        List<QualityMetric> metrics = rule == null ? history.metrics() : List.of();
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("results", results);
            document.put("metrics", metrics);
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(document));
            return 0;
        }
        if (!format.equals("text")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Cannot show quality as '" + format + "': use --format text or json");
        }
        out.printf("%-28s %-34s %-10s %-12s %s%n", "MODEL", "RULE", "VERDICTS", "FAIL TREND", "LAST RESULT");
        for (List<QualityCheck> series : group(results, r -> r.model() + "\u0000" + r.rule())) {
            QualityCheck latest = series.get(series.size() - 1);
            StringBuilder verdicts = new StringBuilder();
            List<Double> fractions = new ArrayList<>();
            for (QualityCheck record : series) {
                verdicts.append(Character.toUpperCase(verdict(record).charAt(0)));
                fractions.add(record.failFraction());
            }
            out.printf("%-28s %-34s %-10s %-12s %s: %s%n", latest.model(), latest.rule(), verdicts, sparkline(fractions),
                    verdict(latest).toUpperCase(Locale.ROOT), latest.message());
        }
        if (!metrics.isEmpty()) {
            out.printf("%n%-28s %-34s %-12s %s%n", "MODEL", "METRIC", "TREND", "LAST VALUE");
            for (List<QualityMetric> series : group(metrics,
                    m -> m.model() + "\u0000" + m.column() + "\u0000" + m.metric())) {
                QualityMetric latest = series.get(series.size() - 1);
                List<Double> values = series.stream().map(QualityMetric::value).toList();
                out.printf(Locale.ROOT, "%-28s %-34s %-12s %s%n", latest.model(),
                        latest.column() == null ? latest.metric() : latest.metric() + "(" + latest.column() + ")",
                        sparkline(values), latest.value() == null ? "NULL" : String.format(Locale.ROOT, "%.6g",
                                latest.value()));
            }
        }
        return 0;
    }

    /** The verdict; a warn rule recorded as failed by an older Sluice shows as the warning it was. */
    private static String verdict(QualityCheck record) {
        return record.verdict().equals("fail") && "warn".equals(record.severity()) ? "warn" : record.verdict();
    }

    private static <T> List<List<T>> group(List<T> records, java.util.function.Function<T, String> key) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        records.forEach(record -> groups.computeIfAbsent(key.apply(record), k -> new ArrayList<>()).add(record));
        return new ArrayList<>(groups.values());
    }

    /** A compact trend: one bar per run, scaled between the series' own minimum and maximum. */
    static String sparkline(List<Double> values) {
        double min = values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder();
        for (Double value : values) {
            if (value == null) {
                line.append(' ');
            } else {
                int level = max == min ? 0 : (int) Math.round((value - min) / (max - min) * (BARS.length() - 1));
                line.append(BARS.charAt(level));
            }
        }
        return line.toString();
    }
}
