package dev.sluice.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ModelResult;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.metrics.MeteredRuns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * The server's own Flight actions, beside Flight SQL's: {@code run} starts a run (users with the run permission) and
 * answers its per-model results as JSON; {@code cli} runs a CLI command on the served project inside the server and
 * answers its output and exit code as JSON, which is how {@code sluice query/runs/.../run} reach a server that holds
 * the warehouse. Runs of the run action report to the server's metrics. Thread-safe; runs are serialised by the
 * warehouse lock's lease.
 */
final class ServerActions {
    static final String RUN = "run";
    static final String CLI = "cli";
    static final List<ActionType> TYPES = List.of(
            new ActionType(RUN, "Runs the pipeline. Body: JSON {select: [..], exclude: [..], vars: {..}, "
                    + "full_refresh: false}; needs the run permission. Answer: JSON {run_id, succeeded, models: [..]}"),
            new ActionType(CLI, "Runs a sluice command on the served project. Body: JSON {args: [command, DIR, ..]}; "
                    + "answer: JSON {exit_code, stdout, stderr}"));
    /** The commands the cli action runs with the read permission; {@code run} needs the run permission. */
    static final Set<String> READ_COMMANDS = Set.of("query", "runs", "state", "quality", "lineage", "ls", "windows",
            "storage");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final MeteredRuns runs;
    private final SluiceServer.Commands commands;

    ServerActions(Path root, MeteredRuns runs, SluiceServer.Commands commands) {
        this.root = root;
        this.runs = runs;
        this.commands = commands;
    }

    boolean handles(String type) {
        return RUN.equals(type) || CLI.equals(type);
    }

    /** Performs an action of {@link #TYPES} for a caller with {@code permissions}; the answer's bytes. */
    byte[] perform(Action action, Set<Permission> permissions, String identity) {
        JsonNode body = body(action);
        return switch (action.getType()) {
            case RUN -> {
                require(permissions, identity, Permission.RUN);
                yield json(run(body));
            }
            default -> json(cli(body, permissions, identity));
        };
    }

    private ObjectNode run(JsonNode body) {
        RunOptions options = RunOptions.defaults().withSelect(strings(body.path("select")).toArray(String[]::new))
                .withExclude(strings(body.path("exclude")).toArray(String[]::new));
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("vars").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> var = it.next();
            options = options.withVar(var.getKey(), var.getValue().asText());
        }
        if (body.path("full_refresh").asBoolean(false)) {
            options = options.withFullRefresh();
        }
        RunResult result = runs.run(options, RunListener.NONE);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("run_id", result.runId());
        answer.put("succeeded", result.succeeded());
        ArrayNode models = answer.putArray("models");
        for (ModelResult model : result.models()) {
            ObjectNode node = models.addObject();
            node.put("model", model.model());
            node.put("relation", model.relation());
            node.put("status", model.status().name().toLowerCase(java.util.Locale.ROOT));
            if (model.rows() != null) {
                node.put("rows", model.rows());
            }
            node.put("duration_ms", model.duration().toMillis());
            if (model.error() != null) {
                node.put("error", model.error());
            }
        }
        return answer;
    }

    private ObjectNode cli(JsonNode body, Set<Permission> permissions, String identity) {
        List<String> args = new ArrayList<>(strings(body.path("args")));
        if (args.size() < 2) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("Cannot run the command: the cli action needs args "
                    + "[command, DIR, ...]").toRuntimeException();
        }
        String command = args.get(0);
        if (command.equals("run")) {
            require(permissions, identity, Permission.RUN);
        } else if (!READ_COMMANDS.contains(command)) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("Cannot run '" + command + "' through the server: it "
                    + "runs only " + String.join(", ", new java.util.TreeSet<>(READ_COMMANDS)) + " and run; stop the "
                    + "server (it holds the warehouse) to use " + command).toRuntimeException();
        }
        if (args.contains("--unmask")) {
            require(permissions, identity, Permission.UNMASK);
        }
        Path dir = Path.of(args.get(1)).toAbsolutePath().normalize();
        if (!dir.equals(root)) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("Cannot run '" + command + "' on " + dir + ": this server "
                    + "serves " + root).toRuntimeException();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = commands.run(new PrintWriter(out, true), new PrintWriter(err, true), runs,
                args.toArray(String[]::new));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("exit_code", code);
        answer.put("stdout", out.toString());
        answer.put("stderr", err.toString());
        return answer;
    }

    static FlightRuntimeException denied(String identity, Permission permission) {
        String name = permission.name().toLowerCase(java.util.Locale.ROOT);
        return CallStatus.UNAUTHORIZED.withDescription("Cannot serve the call: user '" + identity + "' lacks the "
                + name + " permission; add " + name + " to its permissions in the server's users file")
                .toRuntimeException();
    }

    private static void require(Set<Permission> permissions, String identity, Permission permission) {
        if (!permissions.contains(permission)) {
            throw denied(identity, permission);
        }
    }

    private static JsonNode body(Action action) {
        try {
            byte[] bytes = action.getBody();
            JsonNode node = bytes == null || bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (!node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("Cannot perform action '" + action.getType() + "': its "
                    + "body is not a JSON object (" + e.getMessage() + "); see listActions").toRuntimeException();
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.forEach(item -> values.add(item.asText()));
        return values;
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
