package dev.sluice.connect.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks, converts and writes the slice's records to the {@link StagingFile} on a thread of its own, while the
 * consumer's thread goes on polling: the records are handed over in batches through a small bounded queue (memory of
 * a few batches whatever the slice's size), and written in the order they were read, so rows and rejects are the same
 * as when written on the consumer's thread. Measured on 2 cores: the poll loop and Jackson's parse with the CSV line
 * took about as long as each other; one after the other they were the whole read. Not thread-safe: one per load,
 * fed by one thread.
 */
final class StagingWriter implements AutoCloseable {
    /** Records handed over at once. */
    static final int BATCH = 2048;
    /** Batches waiting for the writer at most. */
    private static final int QUEUED = 8;
    private static final List<ConsumerRecord<byte[], byte[]>> END = List.of();
    /** Set false by the benchmark to write on the consumer's thread, as before the second thread, for comparison. */
    static volatile boolean threaded = true;
    /** Set false by the benchmark to convert every record through the tree, as before {@link JsonFields}. */
    static volatile boolean streaming = true;

    private final KafkaSpec spec;
    private final StagingFile file;
    private final JsonRecords json;
    private final JsonFields fields;
    private final boolean stream;
    private final BlockingQueue<List<ConsumerRecord<byte[], byte[]>>> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private final boolean onThread;
    private List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
    private volatile Throwable failure;
    private volatile boolean stopped;
    // Written by the writer's thread, read after it ended.
    private long rows;
    private long rejected;
    private final List<List<Object>> rejects = new ArrayList<>();

    StagingWriter(KafkaSpec spec, StagingFile file, String name) {
        this.spec = spec;
        this.file = file;
        this.json = new JsonRecords(spec.columns());
        this.fields = new JsonFields(spec.columns());
        this.stream = streaming;
        this.thread = new Thread(this::write, "sluice-kafka-staging-" + name);
        thread.setDaemon(true);
        this.onThread = threaded;
        if (onThread) {
            thread.start();
        }
    }

    /** What was staged: rows written, and the corrupt records (a sample) with their count. */
    record Staged(long rows, long rejected, List<List<Object>> rejects) {
    }

    /** Takes one record read (on the consumer's thread). */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        if (!onThread) {
            write(record);
            return;
        }
        batch.add(record);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Waits until every record taken is in the file (flushed, ready to be read); fails as the writer failed. */
    Staged finish() {
        if (!onThread) {
            file.finish();
            return new Staged(rows, rejected, rejects);
        }
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>();
        }
        hand(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the staging file was written", e);
        }
        failed();
        file.finish();
        return new Staged(rows, rejected, rejects);
    }

    private void hand(List<ConsumerRecord<byte[], byte[]>> records) {
        try {
            while (!queue.offer(records, 100, TimeUnit.MILLISECONDS)) {
                failed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the staging file was written", e);
        }
        failed();
    }

    /** Rethrows the writer's failure (a file that cannot be written) on the consumer's thread. */
    private void failed() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    private void write() {
        try {
            while (!stopped) {
                List<ConsumerRecord<byte[], byte[]>> records = queue.take();
                if (records == END) {
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    write(record);
                }
            }
        } catch (InterruptedException e) {
            // stopped by close: the load failed, nothing of the file is read
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private void write(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (!stream || !file.add(fields, record.value(), record.partition(), record.offset())) {
                file.add(json.row(record.value()), record.partition(), record.offset());
            }
            rows++;
        } catch (JsonRecords.Corrupt corrupt) {
            if (++rejected <= KafkaLoader.KEPT_REJECTS) {
                List<Object> reject = new ArrayList<>();
                reject.add(spec.topic() + "/" + record.partition());
                reject.add(record.offset());
                reject.add(corrupt.column());
                reject.add(corrupt.kind());
                reject.add(corrupt.getMessage());
                reject.add(JsonRecords.shown(record.value()));
                rejects.add(reject);
            }
        }
    }

    /** Stops the writer (after {@link #finish}, it has already ended). */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
