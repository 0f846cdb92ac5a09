package dev.sluice.project;

import java.util.List;
import java.util.Locale;

/**
 * Where S3-compatible object storage is and which of its buckets the project may use: {@code s3:} in sluice.yml, at
 * the project level ({@code buckets} only there) or per source (overriding endpoint, region and path style).
 * Credentials are never here: the AWS SDK's default chain finds them in the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE}, ...), so sluice.yml and everything Sluice writes hold none.
 *
 * @param endpoint an S3-compatible server's URL ({@code http://localhost:9000}); null for AWS
 * @param region the signing region; null for the SDK's own (environment, profile) or {@code us-east-1}
 * @param pathStyle true for {@code endpoint/bucket/key} addressing (most S3-compatible servers); null for false
 * @param buckets the buckets sources and models may read and write: nothing else is reachable
 */
public record S3Settings(String endpoint, String region, Boolean pathStyle, List<String> buckets) {
    /** No {@code s3:} block: no bucket is allowed. */
    public static final S3Settings NONE = new S3Settings(null, null, null, List.of());

    static final List<String> PROJECT_KEYS = List.of("endpoint", "region", "path_style", "buckets");
    static final List<String> SOURCE_KEYS = List.of("endpoint", "region", "path_style");

    public S3Settings {
        buckets = List.copyOf(buckets);
    }

    /** True for an {@code s3://} path. */
    public static boolean isS3(String path) {
        return path != null && path.toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /** True when the project lists {@code bucket} under {@code s3: { buckets: [...] }}. */
    public boolean allows(String bucket) {
        return buckets.contains(bucket);
    }

    /** These settings with the ones {@code override} sets (a source's own {@code s3:}); the buckets stay. */
    public S3Settings with(S3Settings override) {
        return new S3Settings(override.endpoint != null ? override.endpoint : endpoint,
                override.region != null ? override.region : region,
                override.pathStyle != null ? override.pathStyle : pathStyle, buckets);
    }

    /** Reads an {@code s3:} mapping; {@code project} allows {@code buckets}. */
    static S3Settings parse(SourceConfig config, boolean project) {
        config.checkKeys(project ? PROJECT_KEYS : SOURCE_KEYS);
        String endpoint = config.string("endpoint");
        if (endpoint != null && !endpoint.matches("https?://[^/\\s@]+/?")) {
            // the value is not echoed: it may hold credentials, which belong in the environment
            config.problem("endpoint", "Cannot read %s endpoint: expected a server URL such as "
                    + "http://localhost:9000 (no path, no credentials: those come from the environment); fix it",
                    config.what());
            endpoint = null;
        }
        List<String> buckets = config.has("buckets") ? config.strings("buckets") : List.of();
        for (String bucket : buckets == null ? List.<String>of() : buckets) {
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                config.problem("buckets", "Cannot read %s buckets: '%s' is not a bucket name (3 to 63 lower-case "
                        + "letters, digits, dots and hyphens); write the bare name, such as my-lake", config.what(),
                        bucket);
            }
        }
        return new S3Settings(endpoint, config.string("region"), config.bool("path_style"),
                buckets == null ? List.of() : buckets);
    }
}
