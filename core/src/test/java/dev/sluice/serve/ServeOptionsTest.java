package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.SluiceException;
import org.junit.jupiter.api.Test;

class ServeOptionsTest {
    @Test
    void theMetricsPortIsAnyFreeOneForEmbeddingNoneOrAGivenOne() {
        assertThat(ServeOptions.loopback().metricsPort()).isZero();
        assertThat(new ServeOptions("127.0.0.1", 0, null, null, null, null).metricsPort())
                .isEqualTo(ServeOptions.NO_METRICS);
        ServeOptions options = ServeOptions.loopback().withMetricsPort(9464).withToken("t0ken").withAddress(
                "127.0.0.1", 47470);
        assertThat(options.metricsPort()).isEqualTo(9464);
        assertThat(options.toString()).contains("metricsPort=9464").doesNotContain("t0ken");
    }

    @Test
    void aMetricsPortThatIsNoPortIsRefused() {
        SluiceException refused = catchThrowableOfType(SluiceException.class,
                () -> ServeOptions.loopback().withMetricsPort(70000));

        assertThat(refused).hasMessage("Cannot start the server: --metrics-port 70000 is no TCP port; pass 1-65535, 0 "
                + "for any free one, or -1 for no metrics");
    }
}
