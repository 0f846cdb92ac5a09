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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends run events with the OpenLineage client to a file (one JSON event per line, appended) or an HTTP endpoint
 * (such as Marquez's {@code http://host:5000/api/v1/lineage}). A lineage backend that is down must not fail the
 * pipeline: failed sends are counted and their first reasons kept, for the run to report.
 */
public final class OpenLineageEmitter implements AutoCloseable {
    private static final int HTTP_TIMEOUT_MS = 5000;
    private static final int REASONS_KEPT = 3;

    private final String target;
    private final OpenLineageClient client;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> reasons = new ArrayList<>();

    private OpenLineageEmitter(String target, Transport transport) {
        this.target = target;
        this.client = new OpenLineageClient(transport);
    }

    /**
     * An emitter to {@code target}: an {@code http://} or {@code https://} URL (its path is the endpoint; without one,
     * OpenLineage's {@code /api/v1/lineage}), or a file path, created with its folder when missing.
     */
    public static OpenLineageEmitter to(String target) {
        if (target.startsWith("http://") || target.startsWith("https://")) {
            URI url = URI.create(target);
            HttpConfig config = new HttpConfig();
            config.setUrl(URI.create(url.getScheme() + "://" + url.getAuthority()));
            config.setEndpoint(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/api/v1/lineage"
                    : url.getRawPath());
            config.setTimeoutInMillis(HTTP_TIMEOUT_MS);
            return new OpenLineageEmitter(target, new HttpTransport(config));
        }
        Path file = Path.of(target).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot write OpenLineage events to %s: %s; pass a file in a "
                    + "writable folder, or an http(s):// URL", target, e.getMessage());
        }
        return new OpenLineageEmitter(target, new FileTransport(new FileConfig(file.toString())));
    }

    public void emit(RunEvent event) {
        try {
            // Models build in parallel; the file transport appends without locking, so events are sent one at a time
            // (or two writes of more than its buffer interleave into broken lines).
            synchronized (client) {
                client.emit(event);
            }
            sent.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            synchronized (reasons) {
                if (reasons.size() < REASONS_KEPT) {
                    reasons.add(String.valueOf(e.getMessage()));
                }
            }
        }
    }

    public String target() {
        return target;
    }

    public int sent() {
        return sent.get();
    }

    public int failed() {
        return failed.get();
    }

    /** The reasons of the first failed sends. */
    public List<String> reasons() {
        synchronized (reasons) {
            return List.copyOf(reasons);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            failed.incrementAndGet();
        }
    }
}
