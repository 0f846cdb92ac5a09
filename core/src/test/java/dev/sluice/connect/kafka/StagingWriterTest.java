package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connect.Retries;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging writer's second thread writes the same lines and keeps the same rejects, in the same order, as writing
 * on the consumer's thread; a file it cannot write fails the load on the consumer's thread with the file's reason.
 */
class StagingWriterTest {
    private static final List<KafkaSpec.Column> COLUMNS = List.of(
            new KafkaSpec.Column("id", KafkaSpec.ColumnType.BIGINT, "BIGINT", List.of("id")));
    private static final KafkaSpec SPEC = new KafkaSpec("localhost:9092", "clicks", COLUMNS, Map.of(), 1.0,
            KafkaSpec.Start.EARLIEST, Retries.DEFAULT);

    @TempDir
    Path folder;

    @AfterEach
    void threaded() {
        StagingWriter.threaded = true;
    }

    /** More records than a few hand-overs, every hundredth one corrupt. */
    private static List<ConsumerRecord<byte[], byte[]>> records() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int offset = 0; offset < 3 * StagingWriter.BATCH + 7; offset++) {
            String value = offset % 100 == 0 ? "{\"id\": \"x" + offset + "\"}" : "{\"id\": " + offset + "}";
            records.add(new ConsumerRecord<>("clicks", offset % 3, offset, null,
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private record Written(StagingWriter.Staged staged, List<String> lines) {
    }

    private Written write(String name) throws Exception {
        try (StagingFile file = new StagingFile(folder.resolve(name), COLUMNS);
                StagingWriter writer = new StagingWriter(SPEC, file, name)) {
            records().forEach(writer::accept);
            StagingWriter.Staged staged = writer.finish();
            return new Written(staged, Files.readAllLines(file.file()));
        }
    }

    @Test
    void writesTheSameLinesAndRejectsInTheSameOrderAsTheConsumersThread() throws Exception {
        Written threaded = write("threaded");
        StagingWriter.threaded = false;
        Written inline = write("inline");
        assertThat(threaded.staged().rows()).isEqualTo(3 * StagingWriter.BATCH + 7 - 62);
        assertThat(threaded.staged().rejected()).isEqualTo(62);
        assertThat(threaded.lines()).hasSize((int) threaded.staged().rows()).startsWith("1,1,1", "2,2,2")
                .isEqualTo(inline.lines());
        assertThat(threaded.staged().rejects()).isEqualTo(inline.staged().rejects());
        assertThat(threaded.staged().rejects().get(1)).containsExactly("clicks/1", 100L, "id", "CONVERSION",
                "\"x100\" is not a BIGINT (column id)", "{\"id\": \"x100\"}");
    }

    @Test
    void aFileThatCannotBeWrittenFailsTheReadOnTheConsumersThread() {
        StagingFile file = new StagingFile(folder.resolve("closed"), COLUMNS);
        file.finish(); // closed: every line written after this fails
        try (StagingWriter writer = new StagingWriter(SPEC, file, "closed")) {
            assertThatThrownBy(() -> {
                records().forEach(writer::accept);
                writer.finish();
            }).isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("Cannot write the staging file "
                    + file.file());
        } finally {
            file.close();
        }
    }
}
