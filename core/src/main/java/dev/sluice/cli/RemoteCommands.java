package dev.sluice.cli;

import dev.sluice.serve.ServerAddress;
import dev.sluice.serve.ServerClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends the read commands and {@code run} to the {@code sluice serve} process holding the project's warehouse,
 * instead of failing on its lock; without a server they run here as always.
 */
final class RemoteCommands {
    /** The commands a server runs for the CLI. */
    static final Set<String> ROUTED = Set.of("query", "runs", "state", "quality", "lineage", "ls", "windows",
            "storage", "run");

    private RemoteCommands() {
    }

    /** The exit code of {@code args} run by the project's server; empty when no server holds its warehouse. */
    static Optional<Integer> forward(Map<String, String> environment, PrintWriter out, PrintWriter err,
            String... args) {
        if (args.length < 2 || !ROUTED.contains(args[0]) || List.of(args).contains("--help")) {
            return Optional.empty();
        }
        List<String> sent = new ArrayList<>(List.of(args));
        for (int i = 1; i < sent.size(); i++) {
            // The project folder is the first argument holding a sluice.yml; the server knows it by its full path.
            Path dir = Path.of(sent.get(i));
            if (!sent.get(i).startsWith("-") && Files.isRegularFile(dir.resolve("sluice.yml"))) {
                Optional<ServerAddress> server = ServerAddress.of(dir);
                if (server.isEmpty()) {
                    return Optional.empty();
                }
                // The server runs "command DIR ...": the folder moves to the front.
                sent.remove(i);
                sent.add(1, dir.toAbsolutePath().normalize().toString());
                return Optional.of(ServerClient.cli(server.get(), sent, environment, out, err));
            }
        }
        return Optional.empty();
    }
}
