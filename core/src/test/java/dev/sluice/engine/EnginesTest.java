package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.EngineTraits;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void findsTheDuckDbFactoryByNameUnderBothServiceInterfaces() {
        EngineFactory factory = Engines.factory("duckdb");

        assertThat(factory.name()).isEqualTo("duckdb");
        assertThat(EngineTraits.named("duckdb")).get().extracting(EngineTraits::name).isEqualTo("duckdb");
        assertThat(EngineTraits.known()).contains("duckdb");
        try (Engine engine = factory.open(EngineOptions.inMemory(List.of()))) {
            assertThat(engine.version()).startsWith("DuckDB v");
            assertThat(engine.dialect()).isSameAs(factory.dialect());
        }
    }

    @Test
    void refusesAnUnknownEngineListingTheKnownOnes() {
        assertThatThrownBy(() -> Engines.factory("spark"))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot open engine 'spark': no engine of that name is on the class path (known: duckdb, "
                        + "printing, recording); set engine: in sluice.yml to one of them")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.PROJECT_INVALID);
    }

    @Test
    void optionsNeedAWarehouseExactlyWhenNotInMemory() {
        assertThatThrownBy(() -> new EngineOptions(null, EngineOptions.Access.READ_ONLY, 0, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a warehouse is needed exactly when the engine is not in memory");
        assertThat(EngineOptions.inMemory(List.of()).warehouse()).isNull();
    }
}
