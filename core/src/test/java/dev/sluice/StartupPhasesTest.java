package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartupPhasesTest {
    @Test
    void eachMarkChargesTheTimeSinceThePreviousOneAndRepeatedPhasesAddUp() {
        AtomicLong clock = new AtomicLong(1_000);
        StartupPhases.Recorder recorder = new StartupPhases.Recorder(900, clock::get);
        recorder.mark("jvm");
        clock.addAndGet(30);
        recorder.mark("project");
        clock.addAndGet(5);
        recorder.mark("command");
        clock.addAndGet(20);
        recorder.mark("duckdb-open");
        clock.addAndGet(7);
        recorder.mark("command");

        assertThat(recorder.line()).isEqualTo("sluice.phases: jvm=100 project=30 command=12 duckdb-open=20 total=162");
    }

    @Test
    void aStepTakesTheCommandMarksOfItsSubPhasesAndGivesBackTheOuterStep() {
        AtomicLong clock = new AtomicLong(1_000);
        StartupPhases.Recorder recorder = new StartupPhases.Recorder(1_000, clock::get);
        clock.addAndGet(10);
        String outer = recorder.enter("plan");
        clock.addAndGet(4);
        recorder.mark("command");
        clock.addAndGet(20);
        recorder.mark("duckdb-open");
        clock.addAndGet(6);
        recorder.leave("plan", outer);
        clock.addAndGet(3);
        recorder.mark("command");

        assertThat(outer).isNull();
        assertThat(recorder.line()).isEqualTo("sluice.phases: command=13 plan=10 duckdb-open=20 total=43");
    }

    @Test
    void withoutThePropertyAStepJustRuns() {
        assertThat(StartupPhases.within("plan", () -> "planned")).isEqualTo("planned");
    }

    @Test
    void theLaunchTimeIsThePropertysNumberOrElseNow() {
        assertThat(StartupPhases.launched(" 1733370000123 ", 5)).isEqualTo(1_733_370_000_123L);
        assertThat(StartupPhases.launched("true", 5)).isEqualTo(5);
    }

    @Test
    void withoutThePropertyNothingIsRecordedOrPrinted() {
        StringWriter err = new StringWriter();
        StartupPhases.mark("jvm");
        StartupPhases.report(new PrintWriter(err));
        assertThat(err.toString()).isEmpty();
    }
}
