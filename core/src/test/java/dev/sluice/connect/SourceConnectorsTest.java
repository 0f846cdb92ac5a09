package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Location;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceConnectorsTest {
    private static Source source(SourceSpec spec) {
        return new Source("raw", "t", spec, Map.of(), new Location(Path.of("sluice.yml"), 3, 3), List.of());
    }

    @Test
    void findsTheShippedConnectorsByTheirType() {
        assertThat(SourceConnectors.of(source(new SourceSpec.Synthetic(1, 1, List.of()))))
                .isInstanceOf(SyntheticConnector.class);
        Source manifest = source(new SourceSpec.Files("/p/*.csv", SourceSpec.FileFormat.CSV,
                SourceSpec.CsvOptions.detect(), 0, SourceSpec.ChangeDetection.MANIFEST, false,
                SourceSpec.OnDelete.IGNORE));
        assertThat(SourceConnectors.of(manifest)).isInstanceOf(FilesConnector.class);
        assertThat(SourceConnectors.tracked(manifest)).isTrue();
        assertThat(SourceConnectors.tracked(source(new SourceSpec.Table("/p/db.duckdb", "t",
                SourceSpec.TableDetection.FULL, null, null, List.of())))).isFalse();
    }

    @Test
    void refusesASourceWhoseTypeHasNoConnector() {
        SourceSpec unknown = () -> "pigeon";
        assertThatThrownBy(() -> SourceConnectors.of(source(unknown))).isInstanceOf(SluiceException.class)
                .hasMessage("Cannot load source raw.t (sluice.yml:3:3): no connector of type 'pigeon' is installed; "
                        + "valid types are files, http, jdbc, kafka, memory, synthetic, table")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
