package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LateRowCounts;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final StringWriter text = new StringWriter();
    private final ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false);

    private static ModelResult windowed(String reason, LateRowCounts late, String unrestated) {
        return new ModelResult("hourly", "main.hourly", "incremental", ModelStatus.SUCCESS, 4L, Duration.ofMillis(10),
                reason, null, List.of(), null, late, unrestated);
    }

    @Test
    void aSourceReadInPlaceSaysSoWhereACountedLoadGivesItsRows() {
        printer.sourceLoaded(new dev.sluice.SourceResult("raw.orders", true, dev.sluice.SourceResult.UNCOUNTED, 0,
                Duration.ofMillis(250), null, List.of()));
        printer.sourceLoaded(new dev.sluice.SourceResult("raw.items", true, 1234, 0, Duration.ofMillis(500), null,
                List.of()));

        assertThat(text.toString().lines()).containsExactly(
                "LOADED   raw.orders                                   read in place     0.25s",
                "LOADED   raw.items                                       1,234 rows     0.50s");
    }

    @Test
    void printsLateRowsAndAnUnrestatedBackfillFromTheResultsFieldsNotItsReason() {
        printer.modelFinished(windowed("1 pending interval(s) built", new LateRowCounts(3, 0, 0, 1, 0),
                "no interval of hourly from 2024-01-01T00:00 to 2024-01-02T00:00 has been built"), 1, 1);

        assertThat(text.toString().lines().skip(1)).containsExactly(
                "         late rows: 3 within lateness (rebuilt), 1 beyond lateness, dropped",
                "         backfill: nothing restated: no interval of hourly from 2024-01-01T00:00 to "
                        + "2024-01-02T00:00 has been built");
    }

    @Test
    void aReasonThatMerelyMentionsLateRowsOrABackfillPrintsNothingMore() {
        printer.modelFinished(windowed("SQL changed; late rows: 2 within lateness (rebuilt); backfill: nothing "
                + "restated: none", LateRowCounts.NONE, null), 1, 1);

        assertThat(text.toString().lines()).hasSize(1);
    }

    @Test
    void lateRowCountsNameOnlyTheFatesThatOccurInTheOrderOfTheFates() {
        assertThat(new LateRowCounts(0, 2, 3, 0, 4).describe()).isEqualTo("late rows: 2 beyond lateness, "
                + "reprocessed, 3 beyond lateness, quarantined, 4 beyond lateness, moved to the current interval");
        assertThat(new LateRowCounts(0, 2, 3, 0, 4).total()).isEqualTo(9);
        assertThat(LateRowCounts.NONE.total()).isZero();
    }
}
