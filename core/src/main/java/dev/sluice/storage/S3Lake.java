package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.Retries;
import dev.sluice.connect.s3.S3Access;
import dev.sluice.connect.s3.S3Url;
import dev.sluice.project.Model;
import dev.sluice.project.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A lake output in object storage ({@code storage: { format: parquet, path: s3://bucket/prefix }}). The engine writes
 * each version locally, as for any lake output (that copy under {@code target/lake-s3} is what the model's view
 * reads); at publish its files are uploaded under {@code prefix/run-<id>/} (multipart above {@link #PART_BYTES}), and
 * only when every one is there is the pointer {@code prefix/_sluice_current.json} replaced, naming the version and its
 * files: a reader that follows the pointer never sees a partial version, and a failed upload leaves the previous
 * version current. Retired versions are deleted from the bucket after the publish commits.
 */
final class S3Lake {
    /** The pointer object readers follow. */
    static final String POINTER = "_sluice_current.json";
    /** Files above this are uploaded in parts of this size: S3's multipart minimum is 5 MiB. */
    static final long PART_BYTES = 8L << 20;
    /** How uploads are retried: a few quick retries, as a lake write holds the run's transaction open. */
    static final Retries RETRIES = new Retries(3, Duration.ofSeconds(60), Duration.ofMillis(200));

    private final S3Settings settings;
    private final Retries retries;

    S3Lake(S3Settings settings, Retries retries) {
        this.settings = settings;
        this.retries = retries;
    }

    /** The model's prefix URL, without a trailing slash. */
    private static S3Url base(Model model) {
        S3Url url = S3Url.parse(model.storage().path());
        String key = url.key().endsWith("/") ? url.key().substring(0, url.key().length() - 1) : url.key();
        return new S3Url(url.bucket(), key);
    }

    /**
     * Uploads the version folder's files, then points {@code _sluice_current.json} at it. On failure the partial
     * version is deleted where the store allows and the pointer is untouched.
     */
    void publish(Model model, Path version) {
        S3Url base = base(model);
        String prefix = base.key() + "/" + version.getFileName() + "/";
        try (S3Access access = new S3Access(settings, retries)) {
            String previous = previous(access, base);
            List<String> keys = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(version)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = version.relativize(file).toString().replace('\\', '/');
                    String key = prefix + relative;
                    Path earlier = previous == null ? null : version.resolveSibling(previous).resolve(relative);
                    if (earlier != null && Files.exists(earlier) && Files.isSameFile(earlier, file)) {
                        // an append links the current version's files: copy them inside the bucket, not again
                        String from = base.key() + "/" + previous + "/" + relative;
                        S3Url object = base.object(key);
                        access.call(object, client -> client.copyObject(request -> request
                                .sourceBucket(object.bucket()).sourceKey(from)
                                .destinationBucket(object.bucket()).destinationKey(object.key())));
                    } else {
                        upload(access, base.object(key), file);
                    }
                    keys.add(key);
                }
            }
            String pointer = "{\"version\": " + json(version.getFileName().toString()) + ", \"files\": ["
                    + String.join(", ", keys.stream().map(S3Lake::json).toList()) + "]}";
            S3Url at = base.object(base.key() + "/" + POINTER);
            access.call(at, client -> client.putObject(request -> request.bucket(at.bucket()).key(at.key())
                    .contentType("application/json"), RequestBody.fromString(pointer)));
        } catch (S3Access.S3Failure e) {
            forgetQuietly(base, prefix);
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot upload model %s's lake output to %s: %s; the "
                    + "previous version stays current", model.name(), base.object(prefix), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version the bucket's pointer names now, or null when there is none (or it cannot be read). */
    private static String previous(S3Access access, S3Url base) {
        S3Url at = base.object(base.key() + "/" + POINTER);
        try {
            String pointer = access.call(at, client -> client.getObjectAsBytes(request -> request.bucket(at.bucket())
                    .key(at.key())).asUtf8String());
            java.util.regex.Matcher version = java.util.regex.Pattern.compile("\"version\": \"(run-[0-9]+)\"")
                    .matcher(pointer);
            return version.find() ? version.group(1) : null;
        } catch (S3Access.S3Failure e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.s3.model.NoSuchKeyException) {
                return null; // the first version
            }
            throw e;
        }
    }

    /** One file: a single PUT, or a multipart upload in {@link #PART_BYTES} parts (aborted if a part fails). */
    static void upload(S3Access access, S3Url object, Path file) throws IOException {
        long size = Files.size(file);
        if (size <= PART_BYTES) {
            access.call(object, client -> client.putObject(request -> request.bucket(object.bucket())
                    .key(object.key()), RequestBody.fromFile(file)));
            return;
        }
        String upload = access.call(object, client -> client.createMultipartUpload(request -> request
                .bucket(object.bucket()).key(object.key())).uploadId());
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            for (int number = 1; (long) (number - 1) * PART_BYTES < size; number++) {
                byte[] bytes = in.readNBytes((int) PART_BYTES);
                int part = number;
                String etag = access.call(object, client -> client.uploadPart(request -> request
                        .bucket(object.bucket()).key(object.key()).uploadId(upload).partNumber(part),
                        RequestBody.fromBytes(bytes)).eTag());
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            access.call(object, client -> client.completeMultipartUpload(request -> request.bucket(object.bucket())
                    .key(object.key()).uploadId(upload).multipartUpload(done -> done.parts(parts))));
        } catch (RuntimeException | IOException e) {
            try {
                access.call(object, client -> client.abortMultipartUpload(request -> request.bucket(object.bucket())
                        .key(object.key()).uploadId(upload)));
            } catch (S3Access.S3Failure ignored) {
                // the store is unreachable: its lifecycle rules clear incomplete uploads
            }
            throw e;
        }
    }

    /** Deletes a retired version's objects after the publish that retired it committed. */
    void forget(Model model, String versionName) {
        S3Url base = base(model);
        try {
            forget(base, base.key() + "/" + versionName + "/");
        } catch (S3Access.S3Failure e) {
            // the objects of an old version stay behind; the pointer never names them again
        }
    }

    private void forgetQuietly(S3Url base, String prefix) {
        try {
            forget(base, prefix);
        } catch (S3Access.S3Failure e) {
            // the store is unreachable: the partial version stays, never named by the pointer
        }
    }

    private void forget(S3Url base, String prefix) {
        try (S3Access access = new S3Access(settings, new Retries(0, retries.timeout(), retries.backoff()))) {
            S3Url at = base.object(prefix);
            List<ObjectIdentifier> keys = access.call(at, client -> listed(client, at)).stream()
                    .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000));
                access.call(at, client -> client.deleteObjects(request -> request.bucket(at.bucket())
                        .delete(delete -> delete.objects(batch))));
            }
        }
    }

    private static List<S3Object> listed(S3Client client, S3Url at) {
        return client.listObjectsV2Paginator(request -> request.bucket(at.bucket()).prefix(at.key())).contents()
                .stream().toList();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
