package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The class-data-sharing workload mvn package runs: every command of it must work, or its classes are missed. */
class CdsTrainingIT {
    @Test
    void everyCommandOfTheWorkloadSucceedsOnTheStarterProject() throws Exception {
        assertThat(CdsTraining.run()).isEmpty();
    }
}
