package dev.sluice.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.serve.ServerAddress;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Statements sent to the {@code sluice serve} process holding the warehouse, over Arrow Flight SQL: queries as Flight
 * SQL statements, runs as the server's {@code run} action (the user needs the run permission). The connection's
 * {@code user} and {@code password} authenticate it when given. One Flight client per connection; thread-safe as
 * Flight's client is.
 */
final class RemoteBackend implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerAddress address;
    private final BufferAllocator allocator;
    private final FlightClient client;
    private final FlightSqlClient sql;
    private final CallOption[] options;

    private RemoteBackend(ServerAddress address, BufferAllocator allocator, FlightClient client, CallOption[] options) {
        this.address = address;
        this.allocator = allocator;
        this.client = client;
        this.sql = new FlightSqlClient(client);
        this.options = options;
    }

    /** Connects to the server at {@code address}, authenticating as {@code user} when one is given. */
    static RemoteBackend connect(ServerAddress address, String user, String password) throws SQLException {
        BufferAllocator allocator = new RootAllocator();
        FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure(address.host(),
                address.port())).build();
        try {
            List<CallOption> options = new ArrayList<>();
            if (user != null && !user.isEmpty()) {
                client.authenticateBasicToken(user, password == null ? "" : password).ifPresent(options::add);
            }
            return new RemoteBackend(address, allocator, client, options.toArray(CallOption[]::new));
        } catch (FlightRuntimeException e) {
            close(client, allocator);
            throw failure("connect to", address, e);
        }
    }

    @Override
    public RowSource query(String text, List<Object> parameters) throws SQLException {
        String statement = parameters.isEmpty() ? text : Literals.inline(text, parameters);
        try {
            FlightInfo info = sql.execute(statement, options);
            return new FlightRows(info.getSchemaOptional().orElseGet(() -> sql.getExecuteSchema(statement, options)
                    .getSchema()), info.getEndpoints(), endpoint -> sql.getStream(endpoint.getTicket(), options));
        } catch (FlightRuntimeException e) {
            throw failure("run the query on", address, e);
        }
    }

    @Override
    public RowSource run(RunRequest request) throws SQLException {
        ObjectNode body = JSON.createObjectNode();
        request.select().forEach(body.putArray("select")::add);
        request.exclude().forEach(body.putArray("exclude")::add);
        ObjectNode vars = body.putObject("vars");
        request.vars().forEach(vars::put);
        body.put("full_refresh", request.fullRefresh());
        JsonNode answer;
        try {
            Iterator<Result> results = client.doAction(new Action("run", JSON.writeValueAsBytes(body)), options);
            answer = JSON.readTree(results.next().getBody());
            results.forEachRemaining(result -> { });
        } catch (FlightRuntimeException e) {
            throw failure("run the pipeline on", address, e);
        } catch (IOException e) {
            throw new SQLException("Cannot read the run's results from the server at " + address + ": "
                    + e.getMessage(), "08006", e);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode model : answer.path("models")) {
            rows.add(Arrays.asList(answer.path("run_id").asLong(), model.path("model").asText(),
                    model.path("relation").asText(), model.path("status").asText(),
                    model.hasNonNull("rows") ? model.path("rows").asLong() : null,
                    model.path("duration_ms").asLong(), model.hasNonNull("error") ? model.path("error").asText()
                    : null));
        }
        return RowSource.of(RUN_COLUMNS, RUN_TYPES, rows);
    }

    @Override
    public String where() {
        return "the sluice serve process at " + address;
    }

    @Override
    public void close() {
        close(client, allocator);
    }

    private static void close(FlightClient client, BufferAllocator allocator) {
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            allocator.close();
        }
    }

    /** The server's refusal as JDBC's, its message kept: it already says what was refused and why. */
    private static SQLException failure(String action, ServerAddress address, FlightRuntimeException e) {
        String message = "Cannot " + action + " the sluice serve process at " + address + " (it holds the "
                + "warehouse): " + e.getMessage();
        return switch (e.status().code()) {
            case UNAUTHENTICATED -> new SQLInvalidAuthorizationSpecException(message + "; give the user and password "
                    + "of the server's users file as the connection's user and password", "28000", e);
            case UNAUTHORIZED -> new SQLInvalidAuthorizationSpecException(message, "42501", e);
            case INVALID_ARGUMENT -> new SQLSyntaxErrorException(message, "42000", e);
            case UNAVAILABLE -> new SQLNonTransientConnectionException(message, "08006", e);
            default -> new SQLException(message, "HY000", e);
        };
    }
}
