package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one-writer-per-warehouse lock: an OS file lock on {@code <warehouse>.lock}, whose content names the holder
 * (pid, host, start time). The OS drops the lock when its process dies, so a lock file left by a killed run is
 * detected as stale and taken over.
 */
public final class WarehouseLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;
    private final String previousHolder;

    private WarehouseLock(FileChannel channel, FileLock lock, Path file, String previousHolder) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
        this.previousHolder = previousHolder;
    }

    /** The lock file of a warehouse. */
    public static Path lockFile(Path warehouse) {
        return warehouse.resolveSibling(warehouse.getFileName() + ".lock");
    }

    /** Takes the lock at once or fails with WAREHOUSE_LOCKED naming the holder; never waits. */
    public static WarehouseLock acquire(Path warehouse) {
        Path file = lockFile(warehouse);
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
            return new WarehouseLock(channel, lock, file, previous.isBlank() ? null : previous);
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
    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The holder a stale lock file named when this lock took it over (its process had died), or null. */
    public String takenOverFrom() {
        return previousHolder;
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
        if (previousHolder == null) {
            return runs.isEmpty() ? Optional.empty()
                    : Optional.of("Found " + named + " left running by a process that is gone; marked killed");
        }
        catalog.runs().recordLockTakeover(command, previousHolder, host(), ProcessHandle.current().pid(), runs);
        return Optional.of("Took over the warehouse lock left by " + previousHolder + ", a process that is gone"
                + (runs.isEmpty() ? "" : "; its " + named + " marked killed") + " (recorded in sluice.lock_takeovers)");
    }

    @Override
    public void close() {
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
