package dev.sluice.lineage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends run events with the OpenLineage client to a file (one JSON event per line, appended) or an HTTP endpoint
 * (such as Marquez's {@code http://host:5000/api/v1/lineage}). Events are sent in the order they were emitted by one
 * background thread, so a slow or silent backend never slows the builds: {@link #emit} only queues (a bounded queue;
 * an event that finds it full is dropped), and {@link #close} waits for what is still queued while the backend keeps
 * answering: until it has sent nothing for {@link #DRAIN_DEADLINE}, and never more than {@link #DRAIN_LIMIT} in all. A lineage backend that is down must not fail the pipeline: events not sent are counted and their first
 * reasons kept, for the run to report. Thread-safe.
 */
public final class OpenLineageEmitter implements AutoCloseable {
    /**
     * How long closing waits for a send to complete: the most a lineage backend that stopped answering adds to a run.
     * A backend that answers, however slowly, gets every event, up to {@link #DRAIN_LIMIT}. Not shorter: the first
     * send also starts the HTTP client, which on a loaded machine took more than a second.
     */
    static final Duration DRAIN_DEADLINE = Duration.ofSeconds(3);
    /** The most closing waits in all, for a backend that keeps answering but too slowly for the run's events. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    private static final int HTTP_TIMEOUT_MS = 5000;
    private static final int QUEUE_CAPACITY = 1024;
    private static final int REASONS_KEPT = 3;
    private static final Object STOP = new Object();

    private final String target;
    private final OpenLineageClient client;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
    private final Thread sender;
    private final List<String> reasons = new ArrayList<>();
    // Guarded by reasons, with the counts and the flags.
    private int sent;
    private int failed;
    /** No event is queued any more (the STOP mark is). */
    private boolean closing;
    /** The counts are final: a send that still completes after the deadline no longer changes them. */
    private boolean settled;

    private OpenLineageEmitter(String target, Transport transport) {
        this.target = target;
        this.client = new OpenLineageClient(transport);
        this.sender = new Thread(this::sendQueued, "sluice-openlineage");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * An emitter to {@code target}: an {@code http://} or {@code https://} URL (its path is the endpoint; without one,
     * OpenLineage's {@code /api/v1/lineage}), or a file path, relative to {@code projectRoot} like every path of a
     * project. The file is created when missing; its folder too when it is inside the project (as {@code target/}
     * is), while a folder outside it must exist: a mistyped path is an error, never a folder made somewhere else.
     */
    public static OpenLineageEmitter to(String target, Path projectRoot) {
        if (target.startsWith("http://") || target.startsWith("https://")) {
            URI url = URI.create(target);
            HttpConfig config = new HttpConfig();
            config.setUrl(URI.create(url.getScheme() + "://" + url.getAuthority()));
            config.setEndpoint(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/api/v1/lineage"
                    : url.getRawPath());
            config.setTimeoutInMillis(HTTP_TIMEOUT_MS);
            return new OpenLineageEmitter(target, new HttpTransport(config));
        }
        Path root = projectRoot.toAbsolutePath().normalize();
        Path file = root.resolve(target).normalize();
        if (!file.getParent().startsWith(root) && !Files.isDirectory(file.getParent())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot write OpenLineage events to %s: its folder %s does not "
                    + "exist; create it, or pass a file in an existing folder or an http(s):// URL", target,
                    file.getParent());
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot write OpenLineage events to %s: %s; pass a file in a "
                    + "writable folder, or an http(s):// URL", target, e.getMessage());
        }
        return new OpenLineageEmitter(target, new FileTransport(new FileConfig(file.toString())));
    }

    /** Queues the event for sending; never waits. */
    public void emit(RunEvent event) {
        synchronized (reasons) {
            if (closing) {
                fail("an event was emitted after the run's events were closed");
            } else if (queue.size() >= QUEUE_CAPACITY) {
                // Only the sender takes from the queue meanwhile, so the event below always finds room.
                fail("more than " + QUEUE_CAPACITY + " events waited for the backend; the later ones were dropped");
            } else {
                queue.add(event);
            }
        }
    }

    private void sendQueued() {
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            try {
                client.emit((RunEvent) next);
                synchronized (reasons) {
                    if (!settled) {
                        sent++;
                    }
                }
            } catch (RuntimeException e) {
                synchronized (reasons) {
                    if (!settled) {
                        fail(String.valueOf(e.getMessage()));
                    }
                }
            }
        }
    }

    /**
     * Waits for the sender while each {@link #DRAIN_DEADLINE} sees an event settled (sent or failed), at most
     * {@link #DRAIN_LIMIT}: under load a live backend may need more than one deadline for a run's events.
     */
    private void drain() {
        long limit = System.nanoTime() + DRAIN_LIMIT.toNanos();
        int settledBefore = -1;
        try {
            while (sender.isAlive() && System.nanoTime() < limit) {
                int settledNow;
                synchronized (reasons) {
                    settledNow = sent + failed;
                }
                if (settledNow == settledBefore) {
                    return;
                }
                settledBefore = settledNow;
                sender.join(Math.max(1, Math.min(DRAIN_DEADLINE.toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(limit - System.nanoTime()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts a failed event and keeps its reason if it is among the first; call holding {@code reasons}. */
    private void fail(String reason) {
        failed++;
        if (reasons.size() < REASONS_KEPT && !reasons.contains(reason)) {
            reasons.add(reason);
        }
    }

    public String target() {
        return target;
    }

    /** Events the backend accepted; final once closed. */
    public int sent() {
        synchronized (reasons) {
            return sent;
        }
    }

    /** Events not sent (refused, dropped, or still unsent at the deadline); final once closed. */
    public int failed() {
        synchronized (reasons) {
            return failed;
        }
    }

    /** The reasons of the first failed sends. */
    public List<String> reasons() {
        synchronized (reasons) {
            return List.copyOf(reasons);
        }
    }

    /**
     * Waits for the queued events to be sent while the backend keeps answering (see the class comment), then counts
     * those still unsent as failed and closes the client (which abandons a request the backend never answers).
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (reasons) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(STOP);
        }
        drain();
        synchronized (reasons) {
            settled = true;
            if (sender.isAlive()) {
                // The event in flight, and those queued behind it.
                int unsent = 1 + (int) queue.stream().filter(item -> item != STOP).count();
                queue.clear();
                failed += unsent;
                reasons.add(0, String.format("%d events still unsent %d s after the run: the backend did not answer "
                        + "in time", unsent, DRAIN_DEADLINE.toSeconds()));
                if (reasons.size() > REASONS_KEPT) {
                    reasons.remove(REASONS_KEPT);
                }
            }
        }
        sender.interrupt();
        try {
            client.close();
        } catch (Exception e) {
            synchronized (reasons) {
                if (reasons.size() < REASONS_KEPT) {
                    reasons.add("closing the transport failed: " + e.getMessage());
                }
            }
        }
    }
}
