package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.CatalogRunLock;
import dev.sluice.project.Project;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * The one-writer-per-warehouse lock: an OS file lock on {@code <warehouse>.lock}, whose content names the holder
 * (pid, host, start time). The OS drops the lock when its process dies, so a lock file left by a killed run is
 * detected as stale and taken over. A long-running process ({@code sluice serve}) holds the lock with {@link #host}
 * and hands its own writers (runs it starts) a lease of it, one at a time.
 */
public final class WarehouseLock implements AutoCloseable {
    /** The writer leases of the warehouses this process hosts, by warehouse. */
    private static final Map<Path, Semaphore> HOSTED = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;
    private final String previousHolder;
    /** The holder record as written, without its note. */
    private final String holder;
    /** For a lease of a hosted warehouse: the permit to give back (channel and lock are null); else null. */
    private final Semaphore lease;
    /** For the host's own lock: the warehouse whose leases it hands out; else null. */
    private Path hosted;
    /** The project's run lock across machines when its catalog is in PostgreSQL; else null. */
    private CatalogRunLock catalogLock;

    private WarehouseLock(FileChannel channel, FileLock lock, Path file, String previousHolder, String holder,
            Semaphore lease) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
        this.previousHolder = previousHolder;
        this.holder = holder;
        this.lease = lease;
    }

    /**
     * Takes the lock for a long-running process of this JVM, as {@link #acquire} does; until it is closed, an
     * {@link #acquire} of the same warehouse in this process gets a lease instead (one writer at a time) and fails
     * with WAREHOUSE_LOCKED while another lease is out.
     */
    public static WarehouseLock host(Path warehouse) {
        Path key = warehouse.toAbsolutePath().normalize();
        if (HOSTED.containsKey(key)) {
            throw held(warehouse, lockFile(warehouse));
        }
        WarehouseLock lock = acquire(warehouse);
        HOSTED.put(key, new Semaphore(1));
        lock.hosted = key;
        return lock;
    }

    /**
     * {@link #host(Path)} of the project's warehouse and, when its catalog is shared in PostgreSQL, the project's run
     * lock across machines, held (with its heartbeat) until this lock is closed.
     */
    public static WarehouseLock host(Project project) {
        return withCatalogLock(host(project.warehouse()), project, "serve");
    }

    /**
     * {@link #acquire(Path)} of the project's warehouse and, when its catalog is shared in PostgreSQL, the project's
     * run lock across machines (a lease of a hosted warehouse needs none: its host holds it). Never waits.
     */
    public static WarehouseLock acquire(Project project, String command) {
        WarehouseLock lock = acquire(project.warehouse());
        return lock.lease != null ? lock : withCatalogLock(lock, project, command);
    }

    private static WarehouseLock withCatalogLock(WarehouseLock lock, Project project, String command) {
        try {
            lock.catalogLock = CatalogRunLock.acquire(project.catalog(), command, host(),
                    ProcessHandle.current().pid()).orElse(null);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Names the run this lock's holder runs, where other machines look for the holder (the shared catalog). */
    public void running(long runId) {
        if (catalogLock != null) {
            catalogLock.running(runId);
        }
    }

    /**
     * The engine whose every commit first checks that this holder still holds the project's run lock across machines
     * (see {@link CatalogRunLock#ensureHeld}); the engine itself when there is no such lock.
     */
    public dev.sluice.engine.Engine guard(dev.sluice.engine.Engine engine) {
        return catalogLock == null ? engine : new LeasedSessions(engine, catalogLock::ensureHeld);
    }

    /** The lock file of a warehouse. */
    public static Path lockFile(Path warehouse) {
        return warehouse.resolveSibling(warehouse.getFileName() + ".lock");
    }

    /** Takes the lock at once or fails with WAREHOUSE_LOCKED naming the holder; never waits. */
    public static WarehouseLock acquire(Path warehouse) {
        Path file = lockFile(warehouse);
        Semaphore leases = HOSTED.get(warehouse.toAbsolutePath().normalize());
        if (leases != null) {
            if (!leases.tryAcquire()) {
                throw held(warehouse, file);
            }
            return new WarehouseLock(null, null, file, null, null, leases);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw held(warehouse, file);
            }
            String previous = read(channel);
            String holder = "pid " + ProcessHandle.current().pid() + " on host " + host() + " since "
                    + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new WarehouseLock(channel, lock, file, previous.isBlank() ? null : previous, holder, null);
        } catch (IOException e) {
            closeQuietly(channel);
            // The lock file sits beside the warehouse: failing to create it is the warehouse path's fault, not ours.
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot lock warehouse %s: %s; check the "
                    + "warehouse: path in sluice.yml and that its folder is writable", warehouse,
                    dev.sluice.project.IoFailures.describe(e));
        }
    }

    /** The holder named in the lock file, or null when the file is absent or empty. */
    public static String holder(Path warehouse) {
        Path file = lockFile(warehouse);
        try {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            return null;
        }
    }

    private static SluiceException held(Path warehouse, Path file) {
        String holder = holder(warehouse);
        return new SluiceException(ErrorCode.WAREHOUSE_LOCKED,
                "Cannot run: warehouse %s is in use by another run (%s); wait for it to finish, or stop it "
                        + "(lock file %s)", warehouse, holder == null ? "holder unknown" : holder, file);
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** This machine's host name, as runs and locks record it; {@code unknown} when it cannot be found. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Adds {@code note} to the holder record (e.g. the address a server listens on), replacing an earlier note, so
     * that other processes find it next to the holder's pid and host.
     */
    public void note(String note) {
        if (channel == null) {
            throw new IllegalStateException("a lease of a hosted warehouse has no holder record of its own");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "; " + note).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot write the warehouse lock file %s: %s; check "
                    + "that its folder is writable", file, dev.sluice.project.IoFailures.describe(e));
        }
    }

    /**
     * For the host's lock ({@link #host}): stops handing out leases and waits up to {@code timeout} for the one out
     * (a run in progress) to be given back; whether it was. Leases asked for afterwards fail as while a run is on.
     */
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        Semaphore leases = hosted == null ? null : HOSTED.get(hosted);
        if (leases == null) {
            throw new IllegalStateException("only the lock of a hosted warehouse hands out leases");
        }
        return leases.tryAcquire(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The holder a stale lock file named when this lock took it over (its process had died), or null. */
    public String takenOverFrom() {
        return previousHolder != null || catalogLock == null ? previousHolder : catalogLock.takenOverFrom();
    }

    /**
     * Records in the catalog, opened under this lock, that the lock was taken over from a dead process, and returns
     * what to tell the user: the dead holder and the runs it left running (which opening the catalog marked killed);
     * empty when there is nothing to tell.
     */
    public Optional<String> recordTakeover(Catalog catalog, String command) {
        List<Long> runs = catalog.closedRuns();
        String named = (runs.size() == 1 ? "run " : "runs ")
                + runs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String previous = takenOverFrom();
        if (previous == null) {
            return runs.isEmpty() ? Optional.empty()
                    : Optional.of("Found " + named + " left running by a process that is gone; marked killed");
        }
        catalog.runs().recordLockTakeover(command, previous, host(), ProcessHandle.current().pid(), runs);
        return Optional.of("Took over the warehouse lock left by " + previous + ", a process that is gone"
                + (runs.isEmpty() ? "" : "; its " + named + " marked killed") + " (recorded in sluice.lock_takeovers)");
    }

    @Override
    public void close() {
        if (catalogLock != null) {
            try {
                catalogLock.close();
            } catch (RuntimeException e) {
                // the catalog is unreachable: its row goes stale and is taken over after its timeout
            }
        }
        if (lease != null) {
            lease.release();
            return;
        }
        if (hosted != null) {
            HOSTED.remove(hosted);
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // The OS releases the lock when the channel closes below; an empty file is only cosmetic.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a lock channel fails only when it is already unusable; nothing is left to release.
            }
        }
    }

    @Override
    public String toString() {
        return "WarehouseLock[" + file + "]";
    }
}
