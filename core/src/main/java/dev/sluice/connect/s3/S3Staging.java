package dev.sluice.connect.s3;

import dev.sluice.connect.Retries;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Brings the objects of an {@code s3://} files source into a scratch folder of the project
 * ({@code target/s3/<schema>.<table>/<bucket>/<key>}), where the files machinery reads them as it reads local files:
 * CSV options, rejects, gates and manifests work unchanged. Only objects whose ETag changed since they were last
 * brought are downloaded, each streamed to disk (bounded memory) and moved into place whole; objects gone from the
 * bucket leave the folder. Each file's modification time is its object's Last-Modified, and the ETags are the
 * manifest's content hashes ({@link #etag}), so a manifest tracks objects by ETag, size and time.
 */
public final class S3Staging {
    /** The ETag of every staged file, by its local path: the content hash a manifest keeps for it. */
    private static final Map<String, String> ETAGS = new ConcurrentHashMap<>();
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final String INDEX = ".sluice-objects.properties";

    /**
     * A source's objects, staged.
     *
     * @param local the source reading the staged files
     * @param urls turns staged paths (absolute or relative to the project) in any text into their s3:// URLs
     * @param objects the objects matched, by key
     */
    public record Staged(Source local, UnaryOperator<String> urls, List<StagedObject> objects) {
    }

    /** One object as it was staged. */
    public record StagedObject(String url, long size, Instant lastModified, String etag) {
    }

    private S3Staging() {
    }

    /** The folder an s3:// source's objects are staged in. */
    static Path folder(Path root, Source source) {
        return root.resolve("target").resolve("s3").resolve(source.schema() + "." + source.table());
    }

    /** The ETag of a staged file, or null for a file that was not staged from S3. */
    public static String etag(String localPath) {
        return ETAGS.get(localPath);
    }

    /** Lists, downloads what changed, and removes what is gone; throws {@link S3Access.S3Failure}. */
    public static Staged stage(Source source, Path root) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        S3Url url = S3Url.parse(spec.path());
        Path folder = folder(root, source);
        Path objects = folder.resolve(url.bucket());
        SourceSpec.ObjectStore store = spec.s3();
        Retries retries = new Retries(store.retries(), store.timeout(), store.backoff());
        synchronized (LOCKS.computeIfAbsent(folder, k -> new Object())) {
            try (S3Access access = new S3Access(store.settings(), retries)) {
                Files.createDirectories(objects);
                List<S3Object> listed = access.call(url, client -> client.listObjectsV2Paginator(request -> request
                        .bucket(url.bucket()).prefix(url.prefix())).contents().stream()
                        .filter(object -> !object.key().endsWith("/") && url.matches(object.key())).toList());
                Map<String, String> index = read(folder.resolve(INDEX));
                Map<String, String> kept = new TreeMap<>();
                List<StagedObject> staged = new ArrayList<>();
                for (S3Object object : listed) {
                    Path file = objects.resolve(object.key()).normalize();
                    if (!file.startsWith(objects)) {
                        continue; // a key such as a/../../x: never written outside the scratch folder
                    }
                    String etag = object.eTag().replace("\"", "");
                    long modified = object.lastModified().toEpochMilli();
                    String known = index.get(object.key());
                    boolean same = known != null && known.startsWith(etag + "\t") && Files.isRegularFile(file)
                            && Files.size(file) == object.size();
                    if (same) {
                        modified = Long.parseLong(known.substring(known.lastIndexOf('\t') + 1));
                    } else {
                        download(access, url.object(object.key()), file, folder);
                        if (known != null && known.endsWith("\t" + modified)) {
                            // rewritten within the same Last-Modified second: still a new version to the manifest
                            modified++;
                        }
                        Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
                    }
                    kept.put(object.key(), etag + "\t" + object.size() + "\t" + modified);
                    ETAGS.put(file.toString(), etag);
                    staged.add(new StagedObject(url.object(object.key()).toString(), object.size(),
                            Instant.ofEpochMilli(modified), etag));
                }
                for (String key : index.keySet()) {
                    if (!kept.containsKey(key)) {
                        Files.deleteIfExists(objects.resolve(key).normalize());
                    }
                }
                write(folder.resolve(INDEX), kept);
                return new Staged(local(source, objects, url), urls(root, folder, url.bucket()), List.copyOf(staged));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot stage the objects of " + url + " in " + root.relativize(folder)
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** The copy an earlier {@link #stage} left, without calling the store; empty when there is none. */
    public static java.util.Optional<Staged> staged(Source source, Path root) {
        Path folder = folder(root, source);
        if (!Files.isRegularFile(folder.resolve(INDEX))) {
            return java.util.Optional.empty();
        }
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        S3Url url = S3Url.parse(spec.path());
        return java.util.Optional.of(new Staged(local(source, folder.resolve(url.bucket()), url), urls(root, folder,
                url.bucket()), lastStaged(source, root)));
    }

    /**
     * The source reading the staged copy: the same settings on local files, tracked by ETag as content hash, and
     * copied into the warehouse (the staged copies are replaced by the next stage).
     */
    private static Source local(Source source, Path objects, S3Url url) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        return new Source(source.schema(), source.table(), new SourceSpec.Files(objects.resolve(url.key()).toString(),
                spec.format(), spec.csv(), spec.maxRejectedFraction(), spec.changeDetection(), true, spec.onDelete(), null,
                SourceSpec.Load.COPY),
                source.columns(), source.location(), source.quality());
    }

    /** The objects staged by the last {@link #stage} of the source, from its folder's index (empty when none). */
    public static List<StagedObject> lastStaged(Source source, Path root) {
        S3Url url = S3Url.parse(((SourceSpec.Files) source.spec()).path());
        List<StagedObject> objects = new ArrayList<>();
        read(folder(root, source).resolve(INDEX)).forEach((key, value) -> {
            String[] parts = value.split("\t");
            objects.add(new StagedObject(url.object(key).toString(), Long.parseLong(parts[1]),
                    Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[0]));
        });
        return objects;
    }

    /** Streams one object to a temporary file beside the folder, then moves it into place whole. */
    private static void download(S3Access access, S3Url object, Path file, Path folder) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(folder, ".download-", ".part");
        try {
            access.call(object, client -> {
                try (InputStream in = client.getObject(request -> request.bucket(object.bucket()).key(object.key()),
                        ResponseTransformer.toInputStream()); OutputStream out = Files.newOutputStream(partial)) {
                    return in.transferTo(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Replaces staged paths in {@code text} by their s3:// URLs: absolute ones first, then project-relative ones. */
    private static UnaryOperator<String> urls(Path root, Path folder, String bucket) {
        String absolute = folder.resolve(bucket) + "/";
        String relative = root.relativize(folder.resolve(bucket)) + "/";
        String url = "s3://" + bucket + "/";
        return text -> text == null ? null : text.replace(absolute, url).replace(relative, url);
    }

    private static Map<String, String> read(Path index) {
        Map<String, String> entries = new TreeMap<>();
        if (Files.isRegularFile(index)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(index)) {
                properties.load(in);
            } catch (IOException e) {
                return entries; // an unreadable index only costs downloading again
            }
            properties.forEach((key, value) -> entries.put((String) key, (String) value));
        }
        return entries;
    }

    private static void write(Path index, Map<String, String> entries) throws IOException {
        Properties properties = new Properties();
        properties.putAll(entries);
        Path partial = index.resolveSibling(index.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            properties.store(out, "objects staged from S3: ETag, size, Last-Modified (ms)");
        }
        Files.move(partial, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
