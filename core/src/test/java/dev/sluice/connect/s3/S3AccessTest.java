package dev.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.connect.Retries;
import dev.sluice.project.S3Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How calls to the store fail, against an HTTP server on loopback that answers as S3 does when it refuses or breaks:
 * server errors are retried and then reported with the status, refusals are reported at once with the fix.
 */
class S3AccessTest {
    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status;
    private volatile String code;

    @BeforeEach
    void start() throws IOException {
        System.setProperty("aws.accessKeyId", dev.sluice.s3.S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", dev.sluice.s3.S3Server.SECRET_KEY);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + code + "</Message><RequestId>1</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private S3Access access(int retries) {
        return new S3Access(new S3Settings("http://127.0.0.1:" + http.getAddress().getPort(), null, true,
                List.of("lake")), new Retries(retries, Duration.ofSeconds(5), Duration.ofMillis(1)));
    }

    private void list(S3Access access) {
        S3Url url = S3Url.parse("s3://lake/in/*.csv");
        access.call(url, client -> client.listObjectsV2(request -> request.bucket("lake").prefix(url.prefix())));
    }

    @Test
    void aServerErrorIsRetriedThenReportedWithItsStatus() {
        status = 503;
        code = "SlowDown";
        try (S3Access access = access(2)) {
            assertThatThrownBy(() -> list(access)).isInstanceOf(S3Access.S3Failure.class)
                    .hasMessage("http://127.0.0.1:" + http.getAddress().getPort() + " answered HTTP 503 SlowDown "
                            + "(tried 3 times); try again later, or check the server");
        }
        assertThat(requests).hasValue(3);
    }

    @Test
    void aRefusalIsReportedAtOnceWithTheCredentialsToCheck() {
        status = 403;
        code = "AccessDenied";
        try (S3Access access = access(2)) {
            assertThatThrownBy(() -> list(access)).isInstanceOf(S3Access.S3Failure.class)
                    .hasMessageStartingWith("access denied by http://127.0.0.1:")
                    .hasMessageEndingWith("(HTTP 403 AccessDenied); check the credentials in the environment "
                            + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and the bucket's "
                            + "permissions")
                    .satisfies(e -> assertThat(((S3Access.S3Failure) e).url()).hasToString("s3://lake/in/*.csv"));
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aVanishedObjectIsReportedAsSuch() {
        status = 404;
        code = "NoSuchKey";
        try (S3Access access = access(0)) {
            assertThatThrownBy(() -> list(access)).hasMessageContaining("the object is gone from http://127.0.0.1:")
                    .hasMessageContaining("(HTTP 404 NoSuchKey), deleted while it was read; run again");
        }
    }

    @Test
    void onlyPassingFailuresAreRetried() {
        assertThat(S3Access.retryable(new java.io.UncheckedIOException(new IOException("reset")))).isTrue();
        assertThat(S3Access.retryable(new IllegalStateException("bug"))).isFalse();
        assertThat(S3Access.retryable(software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"))).isFalse();
    }
}
