package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.LateRowCounts;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SourceResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of line the human format prints has its JSON line, with the level a log pipeline alerts on. */
class JsonLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aSourceReadInPlaceIsLoggedWithoutARowCount() throws Exception {
        StringWriter err = new StringWriter();
        JsonLog log = new JsonLog(new PrintWriter(err), CLOCK);
        log.sourceLoaded(new SourceResult("raw.orders", true, SourceResult.UNCOUNTED, 0, Duration.ofMillis(20), null,
                List.of()));
        JsonNode line = new ObjectMapper().readTree(err.toString().strip());
        assertThat(line.get("message").asText()).isEqualTo("LOADED raw.orders: read in place in 0.02s");
        assertThat(line.get("rows").isNull()).isTrue();
    }

    @Test
    void everyOutcomeBecomesOneJsonLineWithItsLevel() throws Exception {
        StringWriter err = new StringWriter();
        JsonLog log = new JsonLog(new PrintWriter(err), CLOCK);
        QualityResult warn = new QualityResult("items", "range(id)", "range", "warn", 10, 2, 0.2, "", "warn",
                "2 rows out of range", null);
        QualityResult pass = new QualityResult("items", "unique(id)", "unique", "fail", 10, 0, 0, "", "pass", "ok", null);
        log.runStarted(7);
        log.sourceLoaded(new SourceResult("raw.items", true, 10, 1, Duration.ofMillis(5), null, List.of()));
        log.sourceLoaded(new SourceResult("raw.gone", false, 0, 0, Duration.ofMillis(5), "Cannot load source raw.gone",
                List.of(new QualityResult("raw.gone", "not_null(id)", "not_null", "fail", 1, 1, 1, "", "fail", "null",
                        null))));
        log.modelFinished(new ModelResult("items", "main.items", "table", ModelStatus.SUCCESS, 8L,
                Duration.ofMillis(30), "new", null, List.of(warn, pass), "Cannot measure main.items")
                .withWindow(new LateRowCounts(1, 0, 0, 0, 0), "no built interval"), 1, 4);
        log.modelFinished(new ModelResult("view", "main.view", "view", ModelStatus.UP_TO_DATE, null,
                Duration.ZERO, null, null, List.of()), 2, 4);
        log.modelFinished(new ModelResult("after", "main.after", "table", ModelStatus.SKIPPED, null, Duration.ZERO,
                "raw.gone failed", null, List.of()), 3, 4);
        log.modelFinished(new ModelResult("branch", "main.branch", "table", ModelStatus.NOT_TAKEN, null,
                Duration.ZERO, "when: false", null, List.of()), 4, 4);
        log.notice("OpenLineage: 2 events sent");
        log.error("internal_error", "internal error (please report it): boom", 3);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : err.toString().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("event").asText() + " " + line.get("level").asText() + " "
                + line.get("model").asText() + " " + line.get("message").asText()).containsExactly(
                        "run_started INFO null Run 7 started",
                        "source_loaded INFO null LOADED raw.items: 10 rows in 0.01s (1 lines rejected)",
                        "source_failed ERROR null Cannot load source raw.gone",
                        "quality ERROR null quality FAIL not_null(id): null [severity fail: not published]",
                        "model_finished INFO items SUCCESS main.items: 8 rows",
                        "quality WARN items quality WARN range(id): 2 rows out of range [severity warn: recorded, "
                                + "published]",
                        "model_warning WARN items Cannot measure main.items",
                        "late_rows WARN items late rows: 1 within lateness (rebuilt)",
                        "nothing_restated WARN items backfill: nothing restated: no built interval",
                        "model_finished INFO view UP TO DATE main.view",
                        "model_finished WARN after skipped: raw.gone failed",
                        "model_finished INFO branch not taken: when: false",
                        "notice INFO null OpenLineage: 2 events sent",
                        "internal_error ERROR null internal error (please report it): boom");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(line.get("run_id").asLong()).isEqualTo(7);
        });
        assertThat(lines.get(4).get("rows").asLong()).isEqualTo(8);
        assertThat(lines.get(9).has("rows")).isFalse();
        assertThat(lines.get(9).has("reason")).isFalse();
        assertThat(lines.get(13).get("exit_code").asInt()).isEqualTo(3);
    }
}
