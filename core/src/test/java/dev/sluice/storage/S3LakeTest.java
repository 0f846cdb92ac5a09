package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connect.Retries;
import dev.sluice.connect.s3.S3Access;
import dev.sluice.connect.s3.S3Url;
import dev.sluice.project.S3Settings;
import dev.sluice.s3.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large lake files go up in parts, and come back byte for byte; a failed multipart upload is aborted. */
class S3LakeTest {
    private static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = S3Server.start("lake");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static S3Access access(String bucket) {
        return new S3Access(new S3Settings(server.endpoint(), "us-east-1", true, List.of(bucket)),
                new Retries(0, Duration.ofSeconds(30), Duration.ZERO));
    }

    @Test
    void aFileAboveThePartSizeIsUploadedInPartsExactly() throws IOException {
        byte[] bytes = new byte[(int) (S3Lake.PART_BYTES * 2 + 12345)];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("big.parquet"), bytes);
        try (S3Access access = access("lake")) {
            S3Lake.upload(access, new S3Url("lake", "big/part.parquet"), file);
        }
        try (var client = server.client()) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("lake").key("big/part.parquet")).asByteArray())
                    .isEqualTo(bytes);
            // a multipart object's ETag names its part count
            assertThat(client.headObject(b -> b.bucket("lake").key("big/part.parquet")).eTag()).contains("-3");
            assertThat(client.listMultipartUploads(b -> b.bucket("lake")).uploads()).isEmpty();
        }
    }

    @Test
    void aFailedMultipartUploadIsAbortedAndSaysWhy() throws IOException {
        Path file = Files.write(dir.resolve("big.parquet"), new byte[(int) S3Lake.PART_BYTES + 1]);
        try (S3Access access = access("missing")) {
            assertThatThrownBy(() -> S3Lake.upload(access, new S3Url("missing", "x.parquet"), file))
                    .isInstanceOf(S3Access.S3Failure.class)
                    .hasMessageContaining("the bucket 'missing' does not exist at " + server.endpoint());
        }
    }
}
