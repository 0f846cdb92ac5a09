package dev.sluice.plan;

import dev.sluice.project.Model;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Resolves the table names a model reads to models and sources, case-insensitively, with suggestions for typos. */
final class NameResolver {

    /** What a table name refers to. */
    sealed interface Target {
    }

    record ModelTarget(Model model) implements Target {
    }

    record SourceTarget(Source source) implements Target {
    }

    /** The name could not be resolved; {@code reason} completes "Cannot resolve table 'x' in file:l:c". */
    record Unresolved(String reason) implements Target {
    }

    private final List<Model> models;
    private final List<Source> sources;

    NameResolver(List<Model> models, List<Source> sources) {
        this.models = List.copyOf(models);
        this.sources = List.copyOf(sources);
    }

    Target resolve(List<String> parts) {
        if (parts.size() == 1) {
            String name = parts.get(0);
            for (Model model : models) {
                if (model.name().equalsIgnoreCase(name)) {
                    return model(model);
                }
            }
            List<Source> matches = new ArrayList<>();
            for (Source source : sources) {
                if (source.table().equalsIgnoreCase(name)) {
                    matches.add(source);
                }
            }
            if (matches.size() == 1) {
                return new SourceTarget(matches.get(0));
            }
            if (matches.size() > 1) {
                List<String> names = matches.stream().map(Source::qualifiedName).sorted().toList();
                return new Unresolved(": it names the sources " + String.join(" and ", names)
                        + "; qualify it as schema.table");
            }
            return unknown(name);
        }
        String schema = parts.get(parts.size() - 2);
        String name = parts.get(parts.size() - 1);
        for (Model model : models) {
            if (model.schema().equalsIgnoreCase(schema) && model.name().equalsIgnoreCase(name)) {
                return model(model);
            }
        }
        for (Source source : sources) {
            if (source.schema().equalsIgnoreCase(schema) && source.table().equalsIgnoreCase(name)) {
                return new SourceTarget(source);
            }
        }
        return unknown(schema + "." + name);
    }

    private static Target model(Model model) {
        if (!model.enabled()) {
            return new Unresolved(": model '" + model.name() + "' is disabled (enabled: false); enable it or stop"
                    + " reading it");
        }
        return new ModelTarget(model);
    }

    private Target unknown(String name) {
        String suggestion = suggest(name, candidates());
        if (suggestion != null) {
            return new Unresolved("; did you mean '" + suggestion + "'?");
        }
        return new Unresolved(": no model or source has that name; declare it as a source in sluice.yml or add"
                + " a model of that name");
    }

    private Set<String> candidates() {
        Set<String> names = new LinkedHashSet<>();
        for (Model model : models) {
            if (model.enabled()) {
                names.add(model.name());
                names.add(model.qualifiedName());
            }
        }
        for (Source source : sources) {
            names.add(source.qualifiedName());
            names.add(source.table());
        }
        return names;
    }

    /** The closest candidate, when it is close enough to be a typo; null otherwise. */
    static String suggest(String name, Iterable<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = levenshtein(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
