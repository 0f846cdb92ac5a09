package dev.sluice.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3-compatible server in-process for tests (Adobe's S3Mock, a Spring Boot application on loopback): one per test
 * class, on a fixed free port so that a fault test can stop it and start it again where clients expect it, its objects
 * kept in a folder of its own. The credentials Sluice's client finds come from the AWS SDK's default chain: the tests
 * set them as the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties (the JVM's environment
 * cannot be changed), which S3Mock accepts whatever they are.
 */
public final class S3Server implements AutoCloseable {
    /** The secret key the tests give the SDK: no file Sluice writes may hold it. */
    public static final String SECRET_KEY = "sluiceTestSecretKey7Qx9Zp2W";
    public static final String ACCESS_KEY = "AKIASLUICETESTKEY42";

    private final int port;
    private final Path root;
    private final List<String> buckets;
    private S3MockApplication server;

    private S3Server(int port, Path root, List<String> buckets) {
        this.port = port;
        this.root = root;
        this.buckets = List.copyOf(buckets);
    }

    /** Starts a server with the given buckets, and sets the SDK's credentials for this JVM. */
    public static S3Server start(String... buckets) {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.region", "us-east-1");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            S3Server server = new S3Server(port, Files.createTempDirectory("sluice-s3mock"), List.of(buckets));
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start S3Mock for tests", e);
        }
    }

    /** Starts the server (again, after {@link #stop}) on the same port with the same objects. */
    public synchronized void startAgain() {
        if (server == null) {
            server = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                    S3MockApplication.PROP_HTTP_PORT, port,
                    S3MockApplication.PROP_HTTPS_PORT, 0,
                    S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                    "com.adobe.testing.s3mock.store.retainFilesOnExit", true,
                    S3MockApplication.PROP_INITIAL_BUCKETS, String.join(",", buckets),
                    S3MockApplication.PROP_SILENT, true,
                    "spring.main.banner-mode", "off")));
        }
    }

    /** Stops the server: clients get connection refused until {@link #startAgain}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The plain-HTTP endpoint, as sluice.yml's {@code s3: { endpoint: ... }} takes it. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of the test's own, to put and inspect objects behind Sluice's back. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public void put(String bucket, String key, String content) {
        try (S3Client client = client()) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
        }
    }

    public void delete(String bucket, String key) {
        try (S3Client client = client()) {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    /** The keys under {@code prefix}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        try (S3Client client = client()) {
            return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        }
    }

    public String get(String bucket, String key) {
        try (S3Client client = client()) {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        }
    }
}
