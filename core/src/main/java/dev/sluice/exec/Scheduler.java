package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.RunListener;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the selected models in dependency order on a bounded pool: a model starts once every selected model it
 * reads has succeeded; when one fails, everything downstream of it is skipped and independent branches go on; what
 * reads a conditional path not taken is not taken either. An unexpected exception in a model's build fails that model
 * only, like any other failure.
 */
final class Scheduler {
    private final List<PlannedModel> selected;
    private final Map<String, PlannedModel> byName = new LinkedHashMap<>();
    private final Map<String, Set<String>> waitingOn = new HashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();
    /** Models that must finish first but whose failure does not skip the waiting model (conditions read them). */
    private final Map<String, List<String>> orderedAfter = new HashMap<>();
    private final int threads;
    private final boolean failFast;
    private final RunListener listener;
    private final Function<PlannedModel, ModelResult> build;
    private final BiFunction<PlannedModel, NotBuilt, ModelResult> skip;
    private final BiFunction<PlannedModel, RuntimeException, ModelResult> fail;

    /**
     * @param skip records and returns the outcome of a model that is not built (skipped, or not taken)
     * @param after for a model, the models that must finish before it without their failure skipping it (the
     *     models its when: condition reads, or the model whose otherwise path it is)
     * @param fail records and returns the failure of a model whose build or skip threw an unexpected exception;
     *     must not throw
     */
    Scheduler(ProjectPlan plan, List<PlannedModel> selected, Map<String, Set<String>> after, int threads,
            boolean failFast, RunListener listener, Function<PlannedModel, ModelResult> build,
            BiFunction<PlannedModel, NotBuilt, ModelResult> skip,
            BiFunction<PlannedModel, RuntimeException, ModelResult> fail) {
        this.selected = selected.stream().filter(Pipeline::runs).toList();
        this.threads = Math.max(1, threads);
        this.failFast = failFast;
        this.listener = listener;
        this.build = build;
        this.skip = skip;
        this.fail = fail;
        for (PlannedModel model : this.selected) {
            byName.put(key(model.name()), model);
        }
        for (PlannedModel model : this.selected) {
            Set<String> inputs = new HashSet<>();
            for (String upstream : Dependencies.models(plan, model)) {
                if (byName.containsKey(key(upstream))) {
                    inputs.add(key(upstream));
                    consumers.computeIfAbsent(key(upstream), k -> new ArrayList<>()).add(key(model.name()));
                }
            }
            for (String first : after.getOrDefault(model.name(), Set.of())) {
                if (byName.containsKey(key(first)) && inputs.add(key(first))) {
                    orderedAfter.computeIfAbsent(key(first), k -> new ArrayList<>()).add(key(model.name()));
                }
            }
            waitingOn.put(key(model.name()), inputs);
        }
    }

    /**
     * Runs every selected model; {@code blocked} names models that must be skipped from the start, with the reason.
     * Returns the results in the order the models finished.
     */
    List<ModelResult> run(Map<String, String> blocked) {
        List<ModelResult> results = new ArrayList<>();
        Map<String, NotBuilt> skipReasons = new HashMap<>();
        blocked.forEach((name, reason) -> skipReasons.put(key(name), new NotBuilt(ModelStatus.SKIPPED, reason)));
        Deque<String> ready = new ArrayDeque<>();
        for (PlannedModel model : selected) {
            if (waitingOn.get(key(model.name())).isEmpty()) {
                ready.add(key(model.name()));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sluice-model");
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<ModelResult> completion = new ExecutorCompletionService<>(pool);
        int running = 0;
        String stoppedBy = null;
        try {
            while (results.size() < selected.size()) {
                // Submit no more than the pool runs at once, so --fail-fast can still hold back what has not started.
                while (!ready.isEmpty()) {
                    PlannedModel model = byName.get(ready.peek());
                    NotBuilt reason = stoppedBy != null ? new NotBuilt(ModelStatus.SKIPPED,
                            "run stopped after " + stoppedBy + " failed (--fail-fast)") : skipReasons.get(ready.peek());
                    if (reason != null) {
                        ready.poll();
                        finish(contained(model, () -> skip.apply(model, reason)), results, skipReasons, ready);
                    } else if (running < threads) {
                        ready.poll();
                        listener.modelStarted(model.name());
                        completion.submit(() -> contained(model, () -> build.apply(model)));
                        running++;
                    } else {
                        break;
                    }
                }
                if (running == 0) {
                    break;
                }
                ModelResult result = completion.take().get();
                running--;
                if (result.status() == ModelStatus.FAILED && failFast && stoppedBy == null) {
                    stoppedBy = result.model();
                }
                finish(result, results, skipReasons, ready);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            // Builds never throw (see contained): only an Error gets here, and it ends the run.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            awaitBuilds(pool);
        }
        return results;
    }

    /**
     * Waits until every build still running has returned, even when this thread is interrupted (the interrupt is kept
     * for the caller): the caller closes the engine and releases the warehouse lock next, which must not happen under
     * a statement that is still writing. A DuckDB statement does not stop on an interrupt, so this waits it out.
     */
    private static void awaitBuilds(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The model's outcome; an unexpected exception becomes its failure, so that the other models go on. */
    private ModelResult contained(PlannedModel model, Supplier<ModelResult> outcome) {
        try {
            return outcome.get();
        } catch (RuntimeException e) {
            return fail.apply(model, e);
        }
    }

    private void finish(ModelResult result, List<ModelResult> results, Map<String, NotBuilt> skipReasons,
            Deque<String> ready) {
        results.add(result);
        listener.modelFinished(result, results.size(), selected.size());
        FaultPoints.reach(FaultPoints.MODEL_FINISHED, result.model(), null);
        String name = key(result.model());
        for (String consumer : consumers.getOrDefault(name, List.of())) {
            switch (result.status()) {
                case SUCCESS, UP_TO_DATE -> { }
                // A model reading a path not taken is on that path: not built, and no failure. A failed input wins.
                case NOT_TAKEN -> skipReasons.putIfAbsent(consumer, new NotBuilt(ModelStatus.NOT_TAKEN,
                        "path not taken: it reads " + result.model() + ", which was not taken"));
                case FAILED, SKIPPED -> {
                    NotBuilt earlier = skipReasons.get(consumer);
                    if (earlier == null || earlier.status() == ModelStatus.NOT_TAKEN) {
                        skipReasons.put(consumer, new NotBuilt(ModelStatus.SKIPPED,
                                "upstream " + result.model() + " " + result.status().word()));
                    }
                }
            }
            release(consumer, name, ready);
        }
        for (String waiting : orderedAfter.getOrDefault(name, List.of())) {
            release(waiting, name, ready);
        }
    }

    private void release(String waiting, String finished, Deque<String> ready) {
        Set<String> inputs = waitingOn.get(waiting);
        if (inputs.remove(finished) && inputs.isEmpty()) {
            ready.add(waiting);
        }
    }

    /** Why a model is not built: {@code SKIPPED} or {@code NOT_TAKEN}, and the reason. */
    record NotBuilt(ModelStatus status, String reason) {
        NotBuilt {
            java.util.Objects.requireNonNull(status, "status");
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    private static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
