package dev.sluice.connect.s3;

import dev.sluice.connect.Retries;
import dev.sluice.project.S3Settings;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Calls to S3-compatible storage: a client on the JDK's URL connection, credentials from the AWS SDK's default chain
 * (the environment, system properties, a profile; never sluice.yml), and every call under the source's
 * {@link Retries} (the SDK's own retries are off, so {@code retries:} means what it says). A call that still fails
 * becomes an {@link S3Failure} saying, in the user's terms, what went wrong and what to do.
 */
public final class S3Access implements AutoCloseable {
    private final S3Settings settings;
    private final Retries retries;
    private final S3Client client;

    public S3Access(S3Settings settings, Retries retries) {
        this.settings = settings;
        this.retries = retries;
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(retries.timeout())
                        .socketTimeout(retries.timeout()))
                .region(region(settings))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(Boolean.TRUE.equals(settings.pathStyle()))
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(retries.timeout()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        this.client = builder.build();
    }

    private static Region region(S3Settings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            // no region in the environment or a profile: S3-compatible servers mostly ignore it
            return Region.US_EAST_1;
        }
    }

    /** Runs {@code call} with the client, retried while it fails for a passing reason; {@code url} names the data. */
    public <T> T call(S3Url url, java.util.function.Function<S3Client, T> call) {
        Callable<T> attempt = () -> call.apply(client);
        try {
            return retries.call("s3 " + url, S3Access::retryable, attempt);
        } catch (Exception e) {
            throw new S3Failure(url, reason(url, e), e);
        }
    }

    /** Connection failures, timeouts, throttling and server errors pass; a missing bucket or a refusal does not. */
    static boolean retryable(Throwable e) {
        if (e instanceof S3Exception answered) {
            return answered.statusCode() >= 500 || answered.statusCode() == 429;
        }
        if (e instanceof SdkClientException client) {
            return !missingCredentials(client);
        }
        return e instanceof UncheckedIOException;
    }

    private static boolean missingCredentials(SdkException e) {
        return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("credentials");
    }

    /** Where the objects are, for messages: the endpoint, or AWS's. */
    public String server() {
        return settings.endpoint() != null ? settings.endpoint() : "AWS S3";
    }

    /** Why a call failed and what to do, without the SDK's request details. */
    String reason(S3Url url, Throwable e) {
        String tried = retries.retries() == 0 ? "" : " (tried " + (retries.retries() + 1) + " times)";
        if (e instanceof S3Exception answered) {
            String code = answered.awsErrorDetails() == null ? null : answered.awsErrorDetails().errorCode();
            int status = answered.statusCode();
            if ("NoSuchBucket".equals(code)) {
                return "the bucket '" + url.bucket() + "' does not exist at " + server() + "; create it, or fix the "
                        + "bucket in the path and s3: in sluice.yml";
            }
            if (status == 403 || status == 401) {
                return "access denied by " + server() + " (HTTP " + status + (code == null ? "" : " " + code)
                        + "); check the credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                        + " or AWS_PROFILE) and the bucket's permissions";
            }
            if (status == 404) {
                return "the object is gone from " + server() + " (HTTP 404" + (code == null ? "" : " " + code)
                        + "), deleted while it was read; run again";
            }
            return server() + " answered HTTP " + status + (code == null ? "" : " " + code) + tried
                    + "; try again later, or check the server";
        }
        if (e instanceof SdkClientException client && missingCredentials(client)) {
            return "no S3 credentials were found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in "
                    + "the environment that runs Sluice (never in sluice.yml)";
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return "cannot reach " + server() + tried + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage().strip())
                + "; check that the server is up and s3: endpoint in sluice.yml";
    }

    @Override
    public void close() {
        client.close();
    }

    /** A call to object storage that failed for good: the message says why and what to do, the URL which data. */
    public static final class S3Failure extends RuntimeException {
        private final transient S3Url url;

        S3Failure(S3Url url, String message, Throwable cause) {
            super(message, cause);
            this.url = url;
        }

        public S3Url url() {
            return url;
        }
    }
}
