package dev.sluice.serve;

import dev.sluice.ErrorCode;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.engine.HostedEngines;
import dev.sluice.exec.WarehouseLock;
import dev.sluice.metrics.MeteredRuns;
import dev.sluice.metrics.MetricsEndpoint;
import dev.sluice.metrics.RunMetrics;
import dev.sluice.project.Project;
import dev.sluice.schedule.ScheduleRunner;
import dev.sluice.project.ProjectReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A running {@code sluice serve}: holds the project's warehouse lock and its engine (opened once, shared by reads
 * and runs, so reads never wait for a run), and answers Arrow Flight SQL. Start with {@link #start}, stop with
 * {@link #close} (what a SIGTERM does): runs are no longer accepted, a run in progress gets {@link #RUN_GRACE} to
 * finish (what it has not committed is rolled back with the engine), then the Flight server, the engine and the lock
 * are released. Thread-safe.
 */
public final class SluiceServer implements AutoCloseable {
    /**
     * How long closing waits for a run in progress before abandoning what it has not committed: 30 s, or the system
     * property {@code sluice.serve.run-grace-seconds}.
     */
    public static final Duration RUN_GRACE = Duration.ofSeconds(Long.getLong("sluice.serve.run-grace-seconds", 30));

    /**
     * Runs a CLI command in-process, as {@code dev.sluice.cli.Main.run} does: the cli action's way in. A {@code run}
     * goes through {@code runs}, so the server's metrics count it.
     */
    @FunctionalInterface
    public interface Commands {
        int run(PrintWriter out, PrintWriter err, MeteredRuns runs, String... args);
    }

    private final Path root;
    private final Path warehouse;
    private final WarehouseLock lock;
    private final Engine engine;
    private final BufferAllocator allocator;
    private final SluiceProducer producer;
    private final FlightServer flight;
    private final ServerAddress address;
    private final Companions companions;
    private boolean closed;

    private SluiceServer(Path root, Path warehouse, WarehouseLock lock, Engine engine, BufferAllocator allocator,
            SluiceProducer producer, FlightServer flight, ServerAddress address, Companions companions) {
        this.root = root;
        this.warehouse = warehouse;
        this.lock = lock;
        this.engine = engine;
        this.allocator = allocator;
        this.producer = producer;
        this.flight = flight;
        this.address = address;
        this.companions = companions;
    }

    /**
     * Takes the warehouse of the project in {@code projectDir}, opens it and starts answering Flight SQL as
     * {@code options} say; {@code notices} receives what to tell the operator (a lock taken over from a dead process).
     *
     * @throws SluiceException WAREHOUSE_LOCKED when another process holds the warehouse, USAGE for bad options
     */
    public static SluiceServer start(Path projectDir, ServeOptions options, Commands commands,
            Consumer<String> notices) {
        return start(projectDir, options, commands, notices, Clock.systemUTC());
    }

    /**
     * As {@link #start(Path, ServeOptions, Commands, Consumer)}, with the schedules due and the metrics' read lag
     * measured on {@code clock} (a test's clock).
     */
    public static SluiceServer start(Path projectDir, ServeOptions options, Commands commands,
            Consumer<String> notices, Clock clock) {
        Path root = projectDir.toAbsolutePath().normalize();
        Project project = ProjectReader.read(root, Map.of());
        Sluice sluice = Sluice.open(root);
        ServerAuthenticator authenticator = authenticator(options);
        if (authenticator.open() && !loopback(options.host())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot start the server on %s: it would let anyone on the "
                    + "network read the warehouse; pass --users FILE or --token '${env:NAME}', or keep the default "
                    + "host %s", options.host(), ServeOptions.LOOPBACK);
        }
        WarehouseLock lock = WarehouseLock.host(project);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Engine engine = Engines.openReadWrite(project);
            opened.add(engine);
            // The catalog exists (and runs a dead process left are marked killed) before the first reader asks.
            lock.recordTakeover(Catalogs.open(project, engine), "serve").ifPresent(notices);
            HostedEngines.host(project.warehouse(), engine);
            opened.add(() -> HostedEngines.release(project.warehouse()));
            BufferAllocator allocator = new RootAllocator();
            opened.add(allocator);
            RunMetrics metrics = new RunMetrics();
            opened.add(metrics);
            MeteredRuns runs = new MeteredRuns(sluice, metrics, clock);
            SluiceProducer producer = new SluiceProducer(engine, allocator, authenticator,
                    new ServerActions(root, runs, commands), sluice::columnMasks);
            opened.add(producer);
            FlightServer flight = flight(options, allocator, producer, authenticator);
            opened.add(flight);
            ServerAddress address = new ServerAddress(connectHost(options.host()), flight.getPort(),
                    options.tlsCertificate() != null);
            lock.note(address.note());
            Companions companions = startCompanions(sluice, runs, options, clock);
            opened.add(companions);
            return new SluiceServer(root, project.warehouse(), lock, engine, allocator, producer, flight, address,
                    companions);
        } catch (RuntimeException | IOException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                closeQuietly(opened.get(i), e);
            }
            lock.close();
            if (e instanceof SluiceException sluiceException) {
                throw sluiceException;
            }
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot start the server on %s:%d: %s; choose another "
                    + "--port or check --tls-cert/--tls-key", options.host(), options.port(), e.getMessage());
        }
    }

    /**
     * What runs beside the Flight server, started once it is up and closed before it: the schedule runner and the
     * metrics endpoint, both reporting to the runs' metrics (as runs the actions start do).
     */
    private static Companions startCompanions(Sluice sluice, MeteredRuns runs, ServeOptions options, Clock clock) {
        MetricsEndpoint endpoint = options.metricsPort() == ServeOptions.NO_METRICS ? null
                : MetricsEndpoint.start(runs.metrics(), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        options.metricsPort()));
        try {
            return new Companions(endpoint, runs.metrics(), ScheduleRunner.start(sluice, runs::run, clock));
        } catch (RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            throw e;
        }
    }

    /** The server's companions; closing stops the schedules (letting a run finish), then the endpoint. */
    private record Companions(MetricsEndpoint endpoint, RunMetrics metrics, ScheduleRunner schedules)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                schedules.close();
            } finally {
                if (endpoint != null) {
                    endpoint.close();
                }
            }
        }
    }

    private static FlightServer flight(ServeOptions options, BufferAllocator allocator, SluiceProducer producer,
            ServerAuthenticator authenticator) throws IOException {
        boolean tls = options.tlsCertificate() != null;
        Location location = tls ? Location.forGrpcTls(options.host(), options.port())
                : Location.forGrpcInsecure(options.host(), options.port());
        FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
                .headerAuthenticator(authenticator);
        if (tls) {
            builder.useTls(options.tlsCertificate().toFile(), options.tlsKey().toFile());
        }
        return builder.build().start();
    }

    private static ServerAuthenticator authenticator(ServeOptions options) {
        Users users = options.usersFile() == null ? Users.none()
                : Users.read(options.usersFile(), ServeOptions.resolver("the users file " + options.usersFile(),
                        options.usersFile().toAbsolutePath().getParent(), "the users file's folder"));
        return new ServerAuthenticator(users, options.token());
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot start the server on %s: no such host; pass --host "
                    + "an address of this machine", host);
        }
    }

    /** Where a client on this machine reaches a server bound to {@code host} (any address: loopback). */
    private static String connectHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? ServeOptions.LOOPBACK : host;
    }

    /** The users file's {@code password_hash} of {@code password} (PBKDF2, random salt). */
    public static String hashPassword(String password) {
        return PasswordHash.hash(password);
    }

    /** Where clients reach the server. */
    public ServerAddress address() {
        return address;
    }

    /** Where {@code /metrics} answers (loopback), unless the options asked for no metrics. */
    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(companions.endpoint()).map(MetricsEndpoint::address);
    }

    /** The schedule runner: to wake it when a test moves its clock. */
    ScheduleRunner schedules() {
        return companions.schedules();
    }

    /** The folder of the served project. */
    public Path project() {
        return root;
    }

    /** Blocks until the server is closed (by {@link #close}, e.g. from a shutdown hook). */
    public void awaitTermination() throws InterruptedException {
        flight.awaitTermination();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = new RuntimeException("closing the server");
        closeQuietly(companions, failure);
        try {
            lock.drain(RUN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flight.shutdown();
        try {
            flight.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(flight, failure);
        closeQuietly(producer, failure);
        HostedEngines.release(warehouse);
        closeQuietly(engine, failure);
        closeQuietly(allocator, failure);
        closeQuietly(companions.metrics(), failure);
        lock.close();
    }

    private static void closeQuietly(AutoCloseable resource, Exception into) {
        try {
            resource.close();
        } catch (Exception e) {
            // Closing goes on: the lock must be released whatever else failed.
            into.addSuppressed(e);
        }
    }
}
