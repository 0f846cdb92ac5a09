package dev.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3UrlTest {
    @Test
    void readsBucketKeyAndTheFixedPrefixOfAGlob() {
        S3Url url = S3Url.parse("s3://lake/orders/2026/*.csv");
        assertThat(url.bucket()).isEqualTo("lake");
        assertThat(url.key()).isEqualTo("orders/2026/*.csv");
        assertThat(url.prefix()).isEqualTo("orders/2026/");
        assertThat(url.isGlob()).isTrue();
        assertThat(url).hasToString("s3://lake/orders/2026/*.csv");
    }

    @Test
    void matchesKeysByTheGlobOrExactly() {
        S3Url glob = S3Url.parse("s3://lake/orders/*.csv");
        assertThat(glob.matches("orders/a.csv")).isTrue();
        assertThat(glob.matches("orders/sub/a.csv")).isFalse();
        assertThat(glob.matches("orders/a.json")).isFalse();
        assertThat(S3Url.parse("s3://lake/orders/**/*.csv").matches("orders/2026/01/a.csv")).isTrue();
        S3Url one = S3Url.parse("s3://lake/orders/a.csv");
        assertThat(one.isGlob()).isFalse();
        assertThat(one.matches("orders/a.csv")).isTrue();
        assertThat(one.matches("orders/a.csv.bak")).isFalse();
    }

    @Test
    void refusesWhatIsNotAnS3Url() {
        assertThat(S3Url.parse(null)).isNull();
        assertThat(S3Url.parse("data/*.csv")).isNull();
        assertThat(S3Url.parse("s3:///key")).isNull();
        assertThat(S3Url.parse("s3://lake")).isEqualTo(new S3Url("lake", ""));
        assertThat(S3Url.parse("S3://lake/a").object("b/c")).hasToString("s3://lake/b/c");
    }
}
