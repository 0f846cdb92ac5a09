package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void suggestsOnlyCloseNames() {
        assertThat(Names.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(Names.didYouMean("ordrs", List.of("orders", "customers"))).isEqualTo("; did you mean 'orders'?");
        assertThat(Names.didYouMean("zzzzzzzz", List.of("orders", "customers"))).isEmpty();
    }
}
