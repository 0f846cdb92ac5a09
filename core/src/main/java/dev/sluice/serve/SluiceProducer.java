package dev.sluice.serve;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Description;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.UserQuery;
import dev.sluice.project.ColumnMasks;
import java.util.function.Supplier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlUtils;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight SQL service of {@code sluice serve}: read statements and prepared statements on the hosted warehouse
 * (checked by the engine as {@code sluice query} is: anything but one read statement is refused), metadata, and the
 * server's own actions ({@link ServerActions}). Results stream from the engine's cursor in Arrow batches.
 * Thread-safe: each call uses its own engine session.
 */
final class SluiceProducer extends NoOpFlightSqlProducer {
    private final Engine engine;
    /** The warehouse's masked columns, read for each statement (a run may have changed them). */
    private final Supplier<ColumnMasks> masks;
    private final BufferAllocator allocator;
    private final ServerAuthenticator authenticator;
    private final ServerActions actions;
    private final Metadata metadata;
    private final SqlInfoBuilder sqlInfo;
    /** Statements whose FlightInfo was handed out, by ticket handle, until their stream is read. */
    private final Map<ByteString, String> statements = new ConcurrentHashMap<>();
    private final Map<ByteString, Prepared> prepared = new ConcurrentHashMap<>();

    /** A prepared statement: its SQL, what it returns, and the parameters last bound to it. */
    private record Prepared(String sql, Description description, Object[] parameters) {
    }

    SluiceProducer(Engine engine, BufferAllocator allocator, ServerAuthenticator authenticator,
            ServerActions actions, Supplier<ColumnMasks> masks) {
        this.masks = masks;
        this.engine = engine;
        this.allocator = allocator;
        this.authenticator = authenticator;
        this.actions = actions;
        this.metadata = new Metadata(engine);
        this.sqlInfo = new SqlInfoBuilder().withFlightSqlServerName("Sluice").withFlightSqlServerVersion(
                dev.sluice.Sluice.VERSION).withFlightSqlServerArrowVersion("18.3.0").withFlightSqlServerReadOnly(true)
                .withFlightSqlServerSql(true).withSqlIdentifierQuoteChar("\"");
    }

    @Override
    public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        Schema schema = schema(describe(command.getQuery(), context));
        ByteString handle = ByteString.copyFrom(UUID.randomUUID().toString(), StandardCharsets.UTF_8);
        statements.put(handle, command.getQuery());
        FlightSql.TicketStatementQuery ticket = FlightSql.TicketStatementQuery.newBuilder().setStatementHandle(handle)
                .build();
        return info(descriptor, schema, ticket);
    }

    @Override
    public SchemaResult getSchemaStatement(FlightSql.CommandStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return new SchemaResult(schema(describe(command.getQuery(), context)));
    }

    @Override
    public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        String sql = statements.remove(ticket.getStatementHandle());
        if (sql == null) {
            listener.error(CallStatus.NOT_FOUND.withDescription("Cannot read the result: its ticket is unknown or was "
                    + "read already; ask for the statement's FlightInfo again").toRuntimeException());
            return;
        }
        stream(sql, new Object[0], listener, context);
    }

    @Override
    public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        try {
            require(context, Permission.READ);
            Description description = describe(request.getQuery(), context);
            ByteString handle = ByteString.copyFrom(UUID.randomUUID().toString(), StandardCharsets.UTF_8);
            prepared.put(handle, new Prepared(request.getQuery(), description, new Object[0]));
            FlightSql.ActionCreatePreparedStatementResult result = FlightSql.ActionCreatePreparedStatementResult
                    .newBuilder().setPreparedStatementHandle(handle)
                    .setDatasetSchema(ByteString.copyFrom(schema(description).serializeAsMessage()))
                    .setParameterSchema(ByteString.copyFrom(parameterSchema(description).serializeAsMessage()))
                    .build();
            listener.onNext(new Result(Any.pack(result).toByteArray()));
            listener.onCompleted();
        } catch (FlightRuntimeException e) {
            listener.onError(e);
        }
    }

    @Override
    public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        prepared.remove(request.getPreparedStatementHandle());
        listener.onCompleted();
    }

    @Override
    public Runnable acceptPutPreparedStatementQuery(FlightSql.CommandPreparedStatementQuery command,
            CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
        return () -> {
            try {
                require(context, Permission.READ);
                Prepared statement = prepared(command.getPreparedStatementHandle());
                Object[] parameters = new Object[0];
                while (stream.next()) {
                    VectorSchemaRoot root = stream.getRoot();
                    if (root.getRowCount() > 0) {
                        parameters = ArrowBatches.firstRow(root);
                    }
                }
                prepared.put(command.getPreparedStatementHandle(), new Prepared(statement.sql(),
                        statement.description(), parameters));
                ackStream.onCompleted();
            } catch (FlightRuntimeException e) {
                ackStream.onError(e);
            }
        };
    }

    @Override
    public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
            CallContext context, FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, schema(prepared(command.getPreparedStatementHandle()).description()), command);
    }

    @Override
    public SchemaResult getSchemaPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
            CallContext context, FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return new SchemaResult(schema(prepared(command.getPreparedStatementHandle()).description()));
    }

    @Override
    public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        Prepared statement = prepared(command.getPreparedStatementHandle());
        stream(statement.sql(), statement.parameters(), listener, context);
    }

    @Override
    public FlightInfo getFlightInfoSqlInfo(FlightSql.CommandGetSqlInfo request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_SQL_INFO_SCHEMA, request);
    }

    @Override
    public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        sqlInfo.send(command.getInfoList(), listener);
    }

    @Override
    public FlightInfo getFlightInfoCatalogs(FlightSql.CommandGetCatalogs request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_CATALOGS_SCHEMA, request);
    }

    @Override
    public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
        require(context, Permission.READ);
        send(Schemas.GET_CATALOGS_SCHEMA, metadata.catalogs(), listener);
    }

    @Override
    public FlightInfo getFlightInfoSchemas(FlightSql.CommandGetDbSchemas request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_SCHEMAS_SCHEMA, request);
    }

    @Override
    public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        send(Schemas.GET_SCHEMAS_SCHEMA, metadata.schemas(command.hasDbSchemaFilterPattern()
                ? command.getDbSchemaFilterPattern() : null), listener);
    }

    @Override
    public FlightInfo getFlightInfoTables(FlightSql.CommandGetTables request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, request.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA
                : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, request);
    }

    @Override
    public void getStreamTables(FlightSql.CommandGetTables command, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        List<List<Object>> tables = metadata.tables(command.hasDbSchemaFilterPattern()
                ? command.getDbSchemaFilterPattern() : null, command.hasTableNameFilterPattern()
                ? command.getTableNameFilterPattern() : null, command.getTableTypesList(), command.getIncludeSchema());
        send(command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, tables,
                listener);
    }

    @Override
    public FlightInfo getFlightInfoTableTypes(FlightSql.CommandGetTableTypes request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_TABLE_TYPES_SCHEMA, request);
    }

    @Override
    public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
        require(context, Permission.READ);
        send(Schemas.GET_TABLE_TYPES_SCHEMA, List.of(List.of("TABLE"), List.of("VIEW")), listener);
    }

    @Override
    public FlightInfo getFlightInfoTypeInfo(FlightSql.CommandGetXdbcTypeInfo request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_TYPE_INFO_SCHEMA, request);
    }

    @Override
    public void getStreamTypeInfo(FlightSql.CommandGetXdbcTypeInfo request, CallContext context,
            ServerStreamListener listener) {
        require(context, Permission.READ);
        TypeInfo.send(request.hasDataType() ? request.getDataType() : null, allocator, listener);
    }

    @Override
    public FlightInfo getFlightInfoPrimaryKeys(FlightSql.CommandGetPrimaryKeys request, CallContext context,
            FlightDescriptor descriptor) {
        require(context, Permission.READ);
        return info(descriptor, Schemas.GET_PRIMARY_KEYS_SCHEMA, request);
    }

    @Override
    public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
            ServerStreamListener listener) {
        // Warehouse tables declare no keys: a merge model's unique key is a promise of the model, not a constraint.
        send(Schemas.GET_PRIMARY_KEYS_SCHEMA, List.of(), listener);
    }

    @Override
    public FlightInfo getFlightInfoExportedKeys(FlightSql.CommandGetExportedKeys request, CallContext context,
            FlightDescriptor descriptor) {
        return info(descriptor, Schemas.GET_EXPORTED_KEYS_SCHEMA, request);
    }

    @Override
    public void getStreamExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
            ServerStreamListener listener) {
        send(Schemas.GET_EXPORTED_KEYS_SCHEMA, List.of(), listener);
    }

    @Override
    public FlightInfo getFlightInfoImportedKeys(FlightSql.CommandGetImportedKeys request, CallContext context,
            FlightDescriptor descriptor) {
        return info(descriptor, Schemas.GET_IMPORTED_KEYS_SCHEMA, request);
    }

    @Override
    public void getStreamImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
            ServerStreamListener listener) {
        send(Schemas.GET_IMPORTED_KEYS_SCHEMA, List.of(), listener);
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
        ServerActions.TYPES.forEach(listener::onNext);
        FlightSqlUtils.FLIGHT_SQL_ACTIONS.forEach(listener::onNext);
        listener.onCompleted();
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
        if (!actions.handles(action.getType())) {
            super.doAction(context, action, listener);
            return;
        }
        try {
            listener.onNext(new Result(actions.perform(action, authenticator.permissions(context.peerIdentity()),
                    context.peerIdentity())));
            listener.onCompleted();
        } catch (SluiceException e) {
            listener.onError(status(e));
        } catch (FlightRuntimeException e) {
            listener.onError(e);
        }
    }

    private void require(CallContext context, Permission permission) {
        if (!authenticator.permissions(context.peerIdentity()).contains(permission)) {
            throw ServerActions.denied(context.peerIdentity(), permission);
        }
    }

    private Description describe(String sql, CallContext context) {
        try (Session session = engine.session()) {
            return UserQuery.describe(session, sql, masksFor(context));
        } catch (SluiceException e) {
            throw status(e);
        }
    }

    /** None for a user with the unmask permission; else the warehouse's masked columns, masked. */
    private ColumnMasks masksFor(CallContext context) {
        return authenticator.permissions(context.peerIdentity()).contains(Permission.UNMASK) ? ColumnMasks.NONE
                : masks.get();
    }

    private void stream(String sql, Object[] parameters, ServerStreamListener listener, CallContext context) {
        try (Session session = engine.session();
                Cursor cursor = UserQuery.stream(session, sql, masksFor(context), parameters)) {
            ArrowBatches.send(ArrowTypes.schema(cursor.columns(), cursor.types()), cursor, allocator, listener);
        } catch (SluiceException e) {
            listener.error(status(e));
        } catch (FlightRuntimeException e) {
            listener.error(e);
        }
    }

    private void send(Schema schema, List<List<Object>> rows, ServerStreamListener listener) {
        try {
            ArrowBatches.send(schema, rows.iterator(), allocator, listener);
        } catch (SluiceException e) {
            listener.error(status(e));
        }
    }

    private Prepared prepared(ByteString handle) {
        Prepared statement = prepared.get(handle);
        if (statement == null) {
            throw CallStatus.NOT_FOUND.withDescription("Cannot use the prepared statement: the server does not know "
                    + "it (closed, or prepared before the server restarted); prepare it again").toRuntimeException();
        }
        return statement;
    }

    private static Schema schema(Description description) {
        return ArrowTypes.schema(description.columns(), description.types());
    }

    private static Schema parameterSchema(Description description) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < description.parameterTypes().size(); i++) {
            fields.add(ArrowTypes.field("parameter_" + (i + 1), description.parameterTypes().get(i)));
        }
        return new Schema(fields);
    }

    private static FlightInfo info(FlightDescriptor descriptor, Schema schema, Message command) {
        Ticket ticket = new Ticket(Any.pack(command).toByteArray());
        return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
    }

    /** The call status a refusal of Sluice's becomes, with its message (which names the fix) as the description. */
    static FlightRuntimeException status(SluiceException e) {
        CallStatus status = switch (e.code()) {
            case USAGE, PROJECT_INVALID -> CallStatus.INVALID_ARGUMENT;
            case WAREHOUSE_LOCKED -> CallStatus.UNAVAILABLE;
            default -> CallStatus.INTERNAL;
        };
        return status.withDescription(e.getMessage()).withCause(e).toRuntimeException();
    }

    /** Unused parameter sets are dropped with the server; nothing else is held between calls. */
    @Override
    public void close() {
        statements.clear();
        prepared.clear();
    }
}
