package dev.sluice.plan;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Materialization;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A planned project: every enabled model validated, in dependency order, with its neighbours. Immutable and safe to
 * share between threads. Model names are matched case-insensitively; returned names are the models' own names.
 */
public final class ProjectPlan {
    private final List<PlannedModel> models;
    private final Map<String, PlannedModel> byKey;
    private final Map<String, Set<String>> upstream;
    private final Map<String, Set<String>> downstream;
    private final Set<String> disabled;
    /** Model name → why it cannot be planned now (a source it reads cannot be read); selecting it is an error. */
    private final Map<String, List<String>> unavailable;
    /** Key of each model set aside → the keys of the models it reads (planned or set aside too). */
    private final Map<String, Set<String>> setAsideUpstream;
    /** Key of each model set aside → its tags, so that tag:x never leaves it out silently. */
    private final Map<String, List<String>> setAsideTags;
    /**
     * Key of a planned model → why it cannot run now: its when: condition, otherwise: or relationships rule reads a
     * model set aside. It plans and lists; selecting it is an error, as selecting the model it needs is.
     */
    private final Map<String, List<String>> blocked;
    private final List<SetAside> setAside;
    /** Model key → the keys of the models it reads, as planned (kept to refine this plan into a new one). */
    private final Map<String, Set<String>> upstreamKeys;
    private final PlanReport report;

    ProjectPlan(List<PlannedModel> models, Map<String, Set<String>> upstream, Set<String> disabled) {
        this(models, upstream, disabled, List.of(), Map.of());
    }

    /** A model that cannot be planned now, and why (the sources it reads, directly or upstream, cannot be read). */
    record SetAside(dev.sluice.project.Model model, List<String> reasons) {
        SetAside {
            reasons = List.copyOf(reasons);
        }
    }

    ProjectPlan(List<PlannedModel> models, Map<String, Set<String>> upstream, Set<String> disabled,
            List<SetAside> setAside, Map<String, List<String>> blocked) {
        this(models, upstream, disabled, setAside, blocked, PlanReport.NONE);
    }

    ProjectPlan(List<PlannedModel> models, Map<String, Set<String>> upstream, Set<String> disabled,
            List<SetAside> setAside, Map<String, List<String>> blocked, PlanReport report) {
        this.report = report;
        this.models = List.copyOf(models);
        Map<String, PlannedModel> keyed = new LinkedHashMap<>();
        Map<String, Set<String>> up = new LinkedHashMap<>();
        Map<String, Set<String>> down = new LinkedHashMap<>();
        for (PlannedModel model : models) {
            keyed.put(key(model.name()), model);
            down.put(key(model.name()), new LinkedHashSet<>());
        }
        for (PlannedModel model : models) {
            Set<String> names = new LinkedHashSet<>();
            for (String upstreamKey : upstream.getOrDefault(key(model.name()), Set.of())) {
                names.add(keyed.get(upstreamKey).name());
                down.get(upstreamKey).add(model.name());
            }
            up.put(key(model.name()), Collections.unmodifiableSet(names));
        }
        down.replaceAll((key, names) -> Collections.unmodifiableSet(names));
        this.byKey = Collections.unmodifiableMap(keyed);
        this.upstream = Collections.unmodifiableMap(up);
        this.downstream = Collections.unmodifiableMap(down);
        this.disabled = Set.copyOf(disabled);
        Map<String, List<String>> keyedUnavailable = new LinkedHashMap<>();
        Map<String, Set<String>> asideUpstream = new LinkedHashMap<>();
        Map<String, List<String>> asideTags = new LinkedHashMap<>();
        for (SetAside aside : setAside) {
            String key = key(aside.model().name());
            keyedUnavailable.put(key, aside.reasons());
            asideUpstream.put(key, Set.copyOf(upstream.getOrDefault(key, Set.of())));
            asideTags.put(key, List.copyOf(aside.model().tags()));
        }
        this.unavailable = Collections.unmodifiableMap(keyedUnavailable);
        this.setAsideUpstream = Collections.unmodifiableMap(asideUpstream);
        this.setAsideTags = Collections.unmodifiableMap(asideTags);
        Map<String, List<String>> keyedBlocked = new LinkedHashMap<>();
        blocked.forEach((name, reasons) -> keyedBlocked.put(key(name), List.copyOf(reasons)));
        this.blocked = Collections.unmodifiableMap(keyedBlocked);
        this.setAside = List.copyOf(setAside);
        this.upstreamKeys = Map.copyOf(upstream);
    }

    /** Why each model that could not be planned (a source it reads cannot be read now) is missing from the plan. */
    public Map<String, List<String>> unavailable() {
        Map<String, List<String>> named = new LinkedHashMap<>();
        setAside.forEach(aside -> named.put(aside.model().name(), aside.reasons()));
        return Collections.unmodifiableMap(named);
    }

    /** The models that cannot be planned now (a source they read cannot be read), in dependency order. */
    public List<dev.sluice.project.Model> setAsideModels() {
        return setAside.stream().map(SetAside::model).toList();
    }

    /**
     * This plan, with planned models that cannot run now because their when: condition, otherwise: or relationships
     * rules read a model set aside ({@code blocked}: model name → why): selecting them is an error naming the source.
     */
    public ProjectPlan withBlocked(Map<String, List<String>> blocked) {
        Map<String, List<String>> all = new LinkedHashMap<>(this.blocked);
        all.putAll(blocked);
        return new ProjectPlan(models, upstreamKeys, disabled, setAside, all, report);
    }

    /** What this planning did with the plan cache: the models planned now and those taken from it. */
    public PlanReport report() {
        return report;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Every enabled model, ephemeral ones included, upstream before downstream, ties broken by name. */
    public List<PlannedModel> models() {
        return models;
    }

    /** The model of that name (case-insensitive), if it is enabled. */
    public Optional<PlannedModel> model(String name) {
        return Optional.ofNullable(byKey.get(key(name)));
    }

    /** Names of the models that {@code name} reads directly; empty for an unknown name. */
    public Set<String> upstream(String name) {
        return upstream.getOrDefault(key(name), Set.of());
    }

    /** Names of the models that read {@code name} directly; empty for an unknown name. */
    public Set<String> downstream(String name) {
        return downstream.getOrDefault(key(name), Set.of());
    }

    /** Names of every model that {@code name} depends on, directly or not. */
    public Set<String> allUpstream(String name) {
        return closure(name, this::upstream);
    }

    /** Names of every model that depends on {@code name}, directly or not. */
    public Set<String> allDownstream(String name) {
        return closure(name, this::downstream);
    }

    private Set<String> closure(String name, Function<String, Set<String>> neighbours) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(neighbours.apply(name));
        while (!pending.isEmpty()) {
            String next = pending.poll();
            if (seen.add(next)) {
                pending.addAll(neighbours.apply(next));
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    /**
     * The models a selection names, upstream before downstream. Ephemeral models never run, so they are never
     * returned.
     *
     * @throws SluiceException USAGE naming each selector that matches no model
     */
    public List<PlannedModel> select(Selection selection) {
        List<String> problems = new ArrayList<>();
        Set<String> chosen = new LinkedHashSet<>();
        // Model set aside → the selector that reached it through the graph or a tag, not by its own name.
        Map<String, String> reached = new LinkedHashMap<>();
        if (selection.select().isEmpty()) {
            chosen.addAll(byKey.keySet());
            chosen.addAll(unavailable.keySet());
        } else if (selection.select().stream().allMatch(String::isBlank)) {
            // `--select ""` (an unset shell variable) must not quietly mean every model.
            problems.add("Cannot select models: the selection is empty; name a model (orders, orders+, +orders, "
                    + "tag:x), or leave --select out to act on every model");
        } else {
            chosen.addAll(matches(selection.select(), problems, reached));
        }
        chosen.removeAll(matches(selection.exclude(), problems, new LinkedHashMap<>()));
        // A model that cannot run now is never left out silently: selecting it, by name, graph or tag, is an error
        // naming the source, the path and the cause, before anything runs (as sluice plan refuses it).
        for (String key : chosen) {
            if (unavailable.containsKey(key) && reached.containsKey(key)) {
                problems.add("Cannot select model '" + name(key) + "': selector '" + reached.get(key) + "' includes "
                        + "it, and it reads a source that cannot be read now (see below); leave it out with --exclude "
                        + name(key) + ", or fix the source");
            }
            if (blocked.containsKey(key)) {
                problems.add("Cannot select model '" + name(key) + "': " + String.join("; ", blocked.get(key))
                        + "; leave it out with --exclude " + name(key) + ", or fix the source");
            }
            List<String> reasons = unavailable.getOrDefault(key, List.of());
            reasons.stream().filter(r -> !problems.contains(r)).forEach(problems::add);
        }
        chosen.removeAll(unavailable.keySet());
        if (!problems.isEmpty() && !unavailable.isEmpty()) {
            // what is missing is data, not a model: the source's problem, with its own code
            throw SluiceException.ofProblems(ErrorCode.SOURCE_INVALID,
                    "Cannot plan the selected models: " + problems.size() + " problems", problems);
        }
        if (!problems.isEmpty()) {
            throw SluiceException.ofProblems(ErrorCode.USAGE,
                    "Cannot select models: " + problems.size() + " selectors match no model", problems);
        }
        List<PlannedModel> selected = new ArrayList<>();
        for (PlannedModel model : models) {
            if (chosen.contains(key(model.name())) && model.model().materialized() != Materialization.EPHEMERAL) {
                selected.add(model);
            }
        }
        return selected;
    }

    /** A model's own name, planned or set aside. */
    private String name(String key) {
        if (byKey.containsKey(key)) {
            return byKey.get(key).name();
        }
        return setAside.stream().filter(aside -> key(aside.model().name()).equals(key)).findFirst()
                .map(aside -> aside.model().name()).orElse(key);
    }

    private Set<String> matches(List<String> selectorStrings, List<String> problems, Map<String, String> reached) {
        Set<String> keys = new LinkedHashSet<>();
        for (String selectors : selectorStrings) {
            for (String selector : selectors.trim().split("\\s+")) {
                if (!selector.isEmpty()) {
                    keys.addAll(match(selector, problems, reached));
                }
            }
        }
        return keys;
    }

    /** The models set aside that read any of {@code keys}, directly or through other models set aside. */
    private Set<String> setAsideDownstream(Set<String> keys) {
        Set<String> found = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> aside : setAsideUpstream.entrySet()) {
                if (!found.contains(aside.getKey()) && aside.getValue().stream()
                        .anyMatch(up -> keys.contains(up) || found.contains(up))) {
                    grew = found.add(aside.getKey());
                }
            }
        }
        return found;
    }

    private Set<String> match(String selector, List<String> problems, Map<String, String> reached) {
        boolean withUpstream = selector.startsWith("+");
        boolean withDownstream = selector.length() > 1 && selector.endsWith("+");
        String core = selector.substring(withUpstream ? 1 : 0, selector.length() - (withDownstream ? 1 : 0));
        Set<String> base = new LinkedHashSet<>();
        if (core.isEmpty() || core.startsWith("+") || core.endsWith("+")) {
            problems.add("Cannot select models: selector '" + selector + "' is not valid; write name, +name, name+, "
                    + "+name+ or tag:x");
        } else if (core.regionMatches(true, 0, "tag:", 0, 4)) {
            String tag = core.substring(4);
            for (PlannedModel model : models) {
                if (model.model().tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag))) {
                    base.add(key(model.name()));
                }
            }
            setAsideTags.forEach((key, tags) -> {
                if (tags.stream().anyMatch(t -> t.equalsIgnoreCase(tag))) {
                    base.add(key);
                    reached.putIfAbsent(key, selector);
                }
            });
            if (base.isEmpty()) {
                problems.add("Cannot select models: selector '" + selector + "' matches no model; no enabled model"
                        + " has the tag '" + tag + "'");
            }
        } else if (byKey.containsKey(key(core))) {
            base.add(key(core));
        } else if (unavailable.containsKey(key(core))) {
            base.add(key(core));
        } else if (disabled.contains(key(core))) {
            problems.add("Cannot select models: selector '" + selector + "' names the disabled model '" + core
                    + "'; enable it (enabled: true) to run it");
        } else {
            String suggestion = NameResolver.suggest(core, models.stream().map(PlannedModel::name).toList());
            problems.add("Cannot select models: selector '" + selector + "' matches no model"
                    + (suggestion == null ? "; a model is named after its file, without .sql" : "; did you mean '" + suggestion + "'?"));
        }
        Set<String> result = new LinkedHashSet<>(base);
        for (String key : base) {
            if (withUpstream) {
                allUpstream(key).forEach(name -> result.add(key(name)));
            }
            if (withDownstream) {
                allDownstream(key).forEach(name -> result.add(key(name)));
            }
        }
        if (withDownstream) {
            for (String aside : setAsideDownstream(result)) {
                result.add(aside);
                reached.putIfAbsent(aside, selector);
            }
        }
        return result;
    }
}
