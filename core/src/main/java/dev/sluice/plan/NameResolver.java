package dev.sluice.plan;

import dev.sluice.project.Model;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    /** Lower-case lookups: a project of 1,000 models resolves thousands of names while planning. */
    private final Map<String, Model> modelsByName = new HashMap<>();
    private final Map<String, Model> modelsByQualifiedName = new HashMap<>();
    private final Map<String, List<Source>> sourcesByTable = new HashMap<>();
    private final Map<String, Source> sourcesByQualifiedName = new HashMap<>();

    NameResolver(List<Model> models, List<Source> sources) {
        this.models = List.copyOf(models);
        this.sources = List.copyOf(sources);
        for (Model model : this.models) {
            modelsByName.putIfAbsent(lower(model.name()), model);
            modelsByQualifiedName.putIfAbsent(lower(model.qualifiedName()), model);
        }
        for (Source source : this.sources) {
            sourcesByTable.computeIfAbsent(lower(source.table()), k -> new ArrayList<>()).add(source);
            sourcesByQualifiedName.putIfAbsent(lower(source.qualifiedName()), source);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    Target resolve(List<String> parts) {
        if (parts.size() == 1) {
            String name = parts.get(0);
            Model model = modelsByName.get(lower(name));
            if (model != null) {
                return model(model);
            }
            List<Source> matches = sourcesByTable.getOrDefault(lower(name), List.of());
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
        String qualified = parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
        Model model = modelsByQualifiedName.get(lower(qualified));
        if (model != null) {
            return model(model);
        }
        Source source = sourcesByQualifiedName.get(lower(qualified));
        return source != null ? new SourceTarget(source) : unknown(qualified);
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
        return dev.sluice.project.Names.suggest(name, candidates);
    }
}
