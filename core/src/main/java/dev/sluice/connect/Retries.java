package dev.sluice.connect;

import dev.sluice.project.SourceConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a remote source (a database, an API, a stream, object storage) is retried when it cannot be reached: the
 * {@code retries}, {@code timeout} and {@code backoff} keys every remote source accepts, and the calls made under
 * them. Waits grow exponentially from {@code backoff} with random jitter (so that many clients do not retry in step),
 * never below what the server asked for ({@link ServerDelay}, such as HTTP's {@code Retry-After}). Retrying is
 * resilience4j's; this class only reads the settings and names the source in the last failure.
 *
 * @param retries how many times a failed call is tried again (0: never)
 * @param timeout how long one attempt (a connection, a request, a poll) may take before it counts as failed
 * @param backoff the wait before the first retry; each later wait doubles it, with up to 50% jitter
 */
public record Retries(int retries, Duration timeout, Duration backoff) {
    /** The keys {@link #parse} reads, for a connector's {@link SourceConfig#checkKeys} list. */
    public static final List<String> KEYS = List.of("retries", "timeout", "backoff");

    /** Three retries, 30 seconds per attempt, one second before the first retry: Airbyte's and dlt's order of size. */
    public static final Retries DEFAULT = new Retries(3, Duration.ofSeconds(30), Duration.ofSeconds(1));

    /** The longest wait between two attempts, whatever the backoff has grown to. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private static final Pattern DURATION = Pattern.compile(
            "(\\d+)\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)", Pattern.CASE_INSENSITIVE);

    public Retries {
        if (retries < 0) {
            throw new IllegalArgumentException("retries cannot be negative: " + retries);
        }
        if (timeout.isNegative() || timeout.isZero() || backoff.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive and backoff not negative");
        }
    }

    /** A server's own word on how long to wait before the next attempt (HTTP 429/503 {@code Retry-After}). */
    public interface ServerDelay {
        Duration delay();
    }

    /**
     * The source's {@code retries:} (a count), {@code timeout:} and {@code backoff:} (lengths of time such as
     * {@code 30 seconds} or {@code 500 ms}), each defaulting to {@link #DEFAULT}'s; null after a reported problem.
     */
    public static Retries parse(SourceConfig config) {
        Long retries = config.has("retries") ? config.integer("retries", 0) : Long.valueOf(DEFAULT.retries);
        Duration timeout = duration(config, "timeout", DEFAULT.timeout, false);
        Duration backoff = duration(config, "backoff", DEFAULT.backoff, true);
        if (retries == null || timeout == null || backoff == null) {
            return null;
        }
        return new Retries((int) Math.min(retries, 100), timeout, backoff);
    }

    private static Duration duration(SourceConfig config, String key, Duration absent, boolean zeroAllowed) {
        if (!config.has(key)) {
            return absent;
        }
        String text = config.text(key);
        Matcher matcher = text == null ? null : DURATION.matcher(text.strip());
        if (matcher == null || !matcher.matches() || (!zeroAllowed && Long.parseLong(matcher.group(1)) == 0)) {
            config.problem(key, "Cannot read %s %s: '%s' is not a length of time; write an amount and a unit such "
                    + "as '30 seconds', '500 ms' or '2 minutes'", config.what(), key, text);
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2).toLowerCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'h' -> Duration.ofHours(amount);
            case 's' -> Duration.ofSeconds(amount);
            default -> unit.startsWith("ms") || unit.startsWith("milli") ? Duration.ofMillis(amount)
                    : Duration.ofMinutes(amount);
        };
    }

    /**
     * Runs {@code call}, retrying it while it throws what {@code retryable} accepts, up to {@link #retries} times;
     * the last failure is thrown as it is (the caller says which source it came from). Failures that are not
     * retryable (bad credentials, a missing table, malformed data) are thrown at once.
     */
    public <T> T call(String name, Predicate<Throwable> retryable, Callable<T> call) throws Exception {
        IntervalFunction exponential = IntervalFunction.ofExponentialRandomBackoff(
                Math.max(1, backoff.toMillis()), 2.0, 0.5, MAX_WAIT.toMillis());
        IntervalBiFunction<T> wait = (attempt, outcome) -> {
            long planned = backoff.isZero() ? 0 : exponential.apply(attempt);
            if (outcome.isLeft() && outcome.getLeft() instanceof ServerDelay asked) {
                planned = Math.max(planned, Math.min(asked.delay().toMillis(), MAX_WAIT.toMillis()));
            }
            return planned;
        };
        RetryConfig config = RetryConfig.<T>custom()
                .maxAttempts(retries + 1)
                .intervalBiFunction(wait)
                .retryOnException(retryable)
                .build();
        return Retry.of(name, config).executeCallable(call);
    }
}
