package dev.sluice.bench;

import dev.sluice.RunListener;

/** When a run started (catalog opened, plan done) and when its first model started (sources loaded), in nanoseconds. */
final class RunMarks implements RunListener {
    long runStarted;
    long firstModel;

    @Override
    public void runStarted(long runId) {
        runStarted = System.nanoTime();
    }

    @Override
    public void modelStarted(String model) {
        if (firstModel == 0) {
            firstModel = System.nanoTime();
        }
    }
}
