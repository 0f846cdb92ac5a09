package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.window.LateRows;
import dev.sluice.window.Lateness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LateRowCountsTest {
    @Test
    void theApisCountsSayInTheSameWordsAsTheReasonWhatBecameOfLateRows() {
        List<LateRows> late = new ArrayList<>();
        long rows = 1;
        for (Lateness.Disposition fate : Lateness.Disposition.values()) {
            late.add(new LateRows("raw.events", 0, 2, rows, 60, fate));
            late.add(new LateRows("raw.clicks", 1, 2, 10 * rows++, 60, fate));
            // each subset of fates, down to one, reads the same both ways
            assertThat(WindowBuilder.counts(late).describe()).isEqualTo(LateRows.describe(late));
        }
        assertThat(WindowBuilder.counts(late).total()).isEqualTo(11 + 22 + 33 + 44 + 55);
        assertThat(WindowBuilder.counts(List.of()).total()).isZero();
    }
}
