package dev.sluice.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The CLI's side of a server: sends a command to the {@code cli} action of the server holding the warehouse and
 * prints what it printed. Credentials come from the environment: {@code SLUICE_TOKEN}, or {@code SLUICE_USER} and
 * {@code SLUICE_PASSWORD}; none for a server that asks for none. A server with TLS is verified against the JVM's
 * trusted certificates, or against the PEM file {@code SLUICE_TLS_CA} names (its CA, or its self-signed
 * certificate). Stateless.
 */
public final class ServerClient {
    /** The environment variable naming the PEM file of the certificates that a TLS server's is checked against. */
    public static final String TRUST_VARIABLE = "SLUICE_TLS_CA";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerClient() {
    }

    /** Runs {@code args} (command, DIR, ...) on the server at {@code address}; its exit code. */
    public static int cli(ServerAddress address, List<String> args, Map<String, String> environment, PrintWriter out,
            PrintWriter err) {
        String trust = environment.get(TRUST_VARIABLE);
        Path trusted = trust == null || trust.isEmpty() || !address.tls() ? null : Path.of(trust);
        if (trusted != null && !Files.isReadable(trusted)) {
            err.println("error: Cannot send '" + args.get(0) + "' to the server at " + address + ": " + TRUST_VARIABLE
                    + " names " + trusted + ", which is not a readable file; point it at the PEM certificate of the "
                    + "server or of its CA");
            err.flush();
            return ErrorCode.USAGE.exitCode();
        }
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = client(allocator, address,
                trusted)) {
            List<CallOption> options = new ArrayList<>();
            String token = environment.get("SLUICE_TOKEN");
            String user = environment.get("SLUICE_USER");
            if (token != null && !token.isEmpty()) {
                options.add(new CredentialCallOption(new BearerCredentialWriter(token)));
            } else if (user != null && !user.isEmpty()) {
                options.add(client.authenticateBasicToken(user, environment.getOrDefault("SLUICE_PASSWORD", ""))
                        .orElseThrow());
            }
            ObjectNode body = JSON.createObjectNode();
            body.putArray("args").addAll(args.stream().map(JSON.getNodeFactory()::textNode).toList());
            Iterator<Result> results = client.doAction(new Action(ServerActions.CLI, JSON.writeValueAsBytes(body)),
                    options.toArray(CallOption[]::new));
            JsonNode answer = JSON.readTree(results.next().getBody());
            while (results.hasNext()) {
                results.next();
            }
            out.print(answer.path("stdout").asText());
            err.print(answer.path("stderr").asText());
            out.flush();
            err.flush();
            return answer.path("exit_code").asInt(ErrorCode.INTERNAL.exitCode());
        } catch (FlightRuntimeException e) {
            err.println("error: Cannot send '" + args.get(0) + "' to the server at " + address + " that holds the "
                    + "warehouse: " + e.getMessage() + fix(e.status().code(), address, trusted));
            err.flush();
            return ErrorCode.USAGE.exitCode();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println("error: Cannot read the answer of the server at " + address + ": " + e.getMessage());
            err.flush();
            return ErrorCode.INTERNAL.exitCode();
        }
    }

    private static FlightClient client(BufferAllocator allocator, ServerAddress address, Path trusted)
            throws IOException {
        if (!address.tls()) {
            return FlightClient.builder(allocator, Location.forGrpcInsecure(address.host(), address.port())).build();
        }
        FlightClient.Builder builder = FlightClient.builder(allocator, Location.forGrpcTls(address.host(),
                address.port()));
        if (trusted == null) {
            return builder.build();
        }
        // The builder reads the certificates when it builds the client.
        try (InputStream certificates = Files.newInputStream(trusted)) {
            return builder.trustedCertificates(certificates).build();
        }
    }

    /** What to do about a failed call, by its status. */
    private static String fix(FlightStatusCode code, ServerAddress address, Path trusted) {
        return switch (code) {
            case UNAUTHENTICATED -> "; set SLUICE_USER and SLUICE_PASSWORD, or SLUICE_TOKEN";
            case UNAVAILABLE -> !address.tls() ? "; check that the server still runs"
                    : trusted == null ? "; the server speaks TLS: if its certificate is self-signed or from a private "
                            + "CA, set " + TRUST_VARIABLE + " to its PEM file"
                    : "; the server speaks TLS: check that " + trusted + " (" + TRUST_VARIABLE + ") holds its "
                            + "certificate or its CA's, issued for " + address.host();
            default -> "";
        };
    }
}
