package dev.sluice.connect.s3;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Locale;

/**
 * An {@code s3://bucket/key} location, the key possibly a glob ({@code s3://lake/orders/*.csv}, {@code **} across
 * folders): the bucket, the keys it matches and the fixed prefix they are listed by.
 *
 * @param bucket the bucket's name
 * @param key the key or key glob, without a leading slash (empty for the whole bucket)
 */
public record S3Url(String bucket, String key) {
    private static final String SCHEME = "s3://";

    /** Reads {@code s3://bucket/key}; null when it is not one (no bucket). */
    public static S3Url parse(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return null;
        }
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        return bucket.isEmpty() ? null : new S3Url(bucket, key);
    }

    /** The fixed part of the key before its first wildcard: what objects are listed by. */
    public String prefix() {
        for (int i = 0; i < key.length(); i++) {
            if ("*?[{".indexOf(key.charAt(i)) >= 0) {
                return key.substring(0, i);
            }
        }
        return key;
    }

    /** True when the key holds a wildcard. */
    public boolean isGlob() {
        return !prefix().equals(key);
    }

    /** True for the keys this location names: the glob's matches, or the key itself. */
    public boolean matches(String objectKey) {
        if (!isGlob()) {
            return objectKey.equals(key);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:/" + key);
        return matcher.matches(Path.of("/" + objectKey));
    }

    /** The location of one object in the same bucket. */
    public S3Url object(String objectKey) {
        return new S3Url(bucket, objectKey);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
