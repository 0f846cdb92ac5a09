package dev.sluice.connect.kafka;

import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** For tests of other packages: a {@code type: kafka} source's first slice, read as its load reads it. */
public final class KafkaReads {
    private KafkaReads() {
    }

    /** The records of the source's first slice as {@code partition:offset:value}, read through the session's engine. */
    public static List<String> firstSlice(Session session, Source source) throws Exception {
        KafkaSpec spec = (KafkaSpec) source.spec();
        List<String> read = new ArrayList<>();
        try (KafkaReader reader = new KafkaReader(spec, source)) {
            KafkaLoader.read(session, spec, reader, reader.slice(Map.of()), record -> read.add(record.partition()
                    + ":" + record.offset() + ":" + new String(record.value(), StandardCharsets.UTF_8)));
        }
        return read;
    }
}
