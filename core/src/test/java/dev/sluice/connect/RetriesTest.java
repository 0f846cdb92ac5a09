package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {
    private static final Retries QUICK = new Retries(2, Duration.ofSeconds(1), Duration.ZERO);

    @Test
    void retriesARetryableFailureUntilItSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String result = QUICK.call("src", e -> e instanceof IOException, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("connection refused");
            }
            return "rows";
        });
        assertThat(result).isEqualTo("rows");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void givesUpAfterTheRetriesWithTheLastFailure() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> QUICK.call("src", e -> e instanceof IOException, () -> {
            throw new IOException("refused " + attempts.incrementAndGet());
        })).isInstanceOf(IOException.class).hasMessage("refused 3");
    }

    @Test
    void throwsAFailureThatIsNotRetryableAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> QUICK.call("src", e -> e instanceof IOException, () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("bad credentials");
        })).hasMessage("bad credentials");
        assertThat(attempts).hasValue(1);
    }

    static final class Busy extends IOException implements Retries.ServerDelay {
        Busy() {
            super("429");
        }

        @Override
        public Duration delay() {
            return Duration.ofMillis(300);
        }
    }

    @Test
    void waitsAtLeastWhatTheServerAskedFor() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        QUICK.call("src", e -> e instanceof IOException, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new Busy();
            }
            return 1;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void refusesNegativeSettings() {
        assertThatThrownBy(() -> new Retries(-1, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("retries cannot be negative");
        assertThatThrownBy(() -> new Retries(1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("timeout must be positive");
    }
}
