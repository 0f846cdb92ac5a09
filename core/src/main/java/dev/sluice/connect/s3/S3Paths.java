package dev.sluice.connect.s3;

import dev.sluice.connect.Retries;
import dev.sluice.project.S3Settings;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;

/**
 * Reads the object storage side of a files source whose path is {@code s3://bucket/key-glob}: the bucket must be one
 * the project allows ({@code s3: { buckets: [...] }} in sluice.yml), as a local path must lie inside the project or
 * its allowed_paths; endpoint, region and path style come from the project's {@code s3:} and the source's own.
 */
public final class S3Paths {
    private S3Paths() {
    }

    /** The source's object store, or null after reporting what is wrong. */
    public static SourceSpec.ObjectStore parse(SourceConfig config, String written) {
        S3Url url = S3Url.parse(written);
        if (url == null || url.key().isEmpty() || url.key().endsWith("/")) {
            config.problem("path", "Cannot read %s: '%s' is not an object path; write s3://bucket/prefix/*.csv",
                    config.what(), written);
            return null;
        }
        S3Settings settings = config.s3();
        if (!settings.allows(url.bucket())) {
            config.problem("path", "Cannot read %s: the bucket '%s' of '%s' is not one the project may use; add it "
                    + "to s3: { buckets: [%s] } in sluice.yml if this project may read it", config.what(),
                    url.bucket(), written, url.bucket());
            return null;
        }
        Retries retries = Retries.parse(config);
        return retries == null ? null
                : new SourceSpec.ObjectStore(settings, retries.retries(), retries.timeout(), retries.backoff());
    }
}
