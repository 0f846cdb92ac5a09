package dev.sluice.exec;

import dev.sluice.project.Source;
import java.time.LocalDateTime;

/** A tracked source a windowed model reads whose rows carry the model's time column. */
record TimedSource(Source source, String column, String type, String utc, long checkpoint, long latest,
        LocalDateTime maxEvent) {
}
