package dev.sluice.serve;

import dev.sluice.engine.HostedEngines;
import dev.sluice.exec.WarehouseLock;
import dev.sluice.project.ProjectReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the {@code sluice serve} process holding a project's warehouse answers Arrow Flight SQL, as its lock file's
 * holder record names it: how the CLI and the {@code jdbc:sluice:} driver find the server instead of failing on the
 * lock. Immutable.
 *
 * @param host the host name or address to connect to
 * @param port the Flight SQL port
 * @param tls whether the server speaks TLS (grpc+tls), so clients must too
 */
public record ServerAddress(String host, int port, boolean tls) {
    /** The note a server adds to its lock's holder record; {@link #of} reads it back. */
    private static final Pattern NOTE = Pattern.compile("\\Apid (\\d+) on host (\\S+) since \\S+; serving Flight SQL "
            + "(over TLS )?on (\\S+):(\\d+)\\z");

    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
    }

    /** A server speaking plain gRPC (no TLS). */
    public ServerAddress(String host, int port) {
        this(host, port, false);
    }

    /**
     * The server holding the warehouse of the project in {@code projectDir}, when one does and its process is alive;
     * empty when no server holds it (or the project cannot be read: the command that follows reports why).
     */
    public static Optional<ServerAddress> of(Path projectDir) {
        if (!Files.isRegularFile(projectDir.resolve("sluice.yml"))) {
            return Optional.empty();
        }
        // sluice.yml alone names the warehouse: the command reads the whole project after, here or on the server
        return ProjectReader.warehouse(projectDir)
                // Inside the server itself commands run on the hosted warehouse, never through the server again.
                .filter(warehouse -> !HostedEngines.hosts(warehouse))
                .flatMap(warehouse -> parse(WarehouseLock.holder(warehouse)));
    }

    /** The address in a holder record, when it names a server whose process is alive on this host. */
    static Optional<ServerAddress> parse(String holder) {
        if (holder == null) {
            return Optional.empty();
        }
        Matcher matcher = NOTE.matcher(holder);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(matcher.group(1));
        // A server of another host sharing the folder is trusted to be alive; one of this host must still run.
        boolean local = matcher.group(2).equals(WarehouseLock.host());
        if (local && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
            return Optional.empty();
        }
        return Optional.of(new ServerAddress(matcher.group(4), Integer.parseInt(matcher.group(5)),
                matcher.group(3) != null));
    }

    /** The note a server listening at this address adds to the lock's holder record. */
    String note() {
        return "serving Flight SQL " + (tls ? "over TLS " : "") + "on " + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
