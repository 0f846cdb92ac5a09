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
        AtomicLong faults = new AtomicLong(3_000);
        StartupPhases.Recorder recorder = new StartupPhases.Recorder(900, clock::get, faults::get);
        recorder.mark("jvm");
        clock.addAndGet(30);
        faults.addAndGet(400);
        recorder.mark("project");
        clock.addAndGet(5);
        recorder.mark("command");
        clock.addAndGet(20);
        faults.addAndGet(900);
        recorder.mark("duckdb-open");
        clock.addAndGet(7);
        faults.addAndGet(10);
        recorder.mark("command");

        assertThat(recorder.line()).isEqualTo("sluice.phases: jvm=100 project=30 command=12 duckdb-open=20 total=162");
        assertThat(recorder.faultsLine())
                .isEqualTo("sluice.faults: jvm=3000 project=400 command=10 duckdb-open=900 total=4310");
    }

    @Test
    void aStepTakesTheCommandMarksOfItsSubPhasesAndGivesBackTheOuterStep() {
        AtomicLong clock = new AtomicLong(1_000);
        StartupPhases.Recorder recorder = new StartupPhases.Recorder(1_000, clock::get, () -> 0);
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
    void minorFaultsAreTheTenthFieldOfLinuxsStatLineWhateverTheCommandsName() {
        assertThat(StartupPhases.minorFaults("4242 (java) S 1 4242 4242 0 -1 4194560 51374 0 12 0 380 95 0 0 20 0 "
                + "31 0 1000 0 0")).isEqualTo(51_374);
        assertThat(StartupPhases.minorFaults("7 (a (b) c) R 1 7 7 0 -1 0 99 0 0 0 1 1 0 0 20 0 1 0 5 0 0"))
                .isEqualTo(99);
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
