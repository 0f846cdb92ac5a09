package dev.sluice.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/** The model graph: an edge runs from a model to each model that reads it. Vertices are lower-case model names. */
final class ModelGraph {
    private final Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);

    void addModel(String key) {
        graph.addVertex(key);
    }

    void addDependency(String upstream, String downstream) {
        graph.addEdge(upstream, downstream);
    }

    /** One cycle per strongly connected group of models, each as a path that starts and ends at its least name. */
    List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        for (Set<String> component : new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
            String start = Collections.min(component);
            if (component.size() > 1 || graph.containsEdge(start, start)) {
                cycles.add(shortestCycle(start, component));
            }
        }
        cycles.sort(Comparator.comparing(cycle -> cycle.get(0)));
        return cycles;
    }

    private List<String> shortestCycle(String start, Set<String> component) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String vertex = queue.poll();
            for (String next : new TreeSet<>(Graphs.successorListOf(graph, vertex))) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String v = vertex; !v.equals(start); v = parent.get(v)) {
                        path.add(1, v);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(next) && !parent.containsKey(next)) {
                    parent.put(next, vertex);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start);
    }

    /** Every model, upstream before downstream, ties broken by name; the graph must be acyclic. */
    List<String> topologicalOrder() {
        List<String> order = new ArrayList<>();
        new TopologicalOrderIterator<>(graph, Comparator.<String>naturalOrder()).forEachRemaining(order::add);
        return order;
    }

    Set<String> upstream(String key) {
        return new LinkedHashSet<>(Graphs.predecessorListOf(graph, key));
    }

    Set<String> downstream(String key) {
        return new LinkedHashSet<>(Graphs.successorListOf(graph, key));
    }
}
