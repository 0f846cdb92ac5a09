package dev.sluice;

/**
 * What became of the late rows a windowed model read in one run, counted by fate: rows of already built intervals
 * that arrived after them. Immutable.
 *
 * @param rebuilt within the model's lateness: their intervals were rebuilt
 * @param reprocessed beyond lateness, their intervals reprocessed anyway ({@code late_policy: reprocess})
 * @param quarantined beyond lateness, set aside in the model's late table
 * @param dropped beyond lateness, dropped
 * @param reassigned beyond lateness, moved to the current interval
 */
public record LateRowCounts(long rebuilt, long reprocessed, long quarantined, long dropped, long reassigned) {
    /** No late rows. */
    public static final LateRowCounts NONE = new LateRowCounts(0, 0, 0, 0, 0);

    /** All late rows, whatever their fate. */
    public long total() {
        return rebuilt + reprocessed + quarantined + dropped + reassigned;
    }

    /**
     * The late rows in words, only the fates that occur, as in the model's reason:
     * {@code late rows: 3 within lateness (rebuilt), 1 beyond lateness, dropped}.
     */
    public String describe() {
        StringBuilder text = new StringBuilder("late rows: ");
        String separator = "";
        long[] rows = {rebuilt, reprocessed, quarantined, dropped, reassigned};
        String[] fates = {"within lateness (rebuilt)", "beyond lateness, reprocessed", "beyond lateness, quarantined",
            "beyond lateness, dropped", "beyond lateness, moved to the current interval"};
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] > 0) {
                text.append(separator).append(rows[i]).append(' ').append(fates[i]);
                separator = ", ";
            }
        }
        return text.toString();
    }
}
