package dev.sluice.plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan cache's payload: a {@link CachedModel} as compact bytes (Base64 text, so that every catalog's text column
 * holds it). JSON of the same model was ten times larger, mostly its lineage repeating the same relation, column and
 * type names, and reading 1,000 of them was half of a cached plan's time. Each string is written once per payload and
 * then referred to by its number. A payload that does not decode to exactly one model, with no byte left over, is
 * refused (the cache then ignores its row).
 */
final class CachedModelCodec {
    /** String references: 0 is null, 1 announces a new string, n ≥ 2 is the (n-2)th string of the payload. */
    private static final int NULL = 0;
    private static final int NEW = 1;
    private static final int FIRST_KNOWN = 2;

    private CachedModelCodec() {
    }

    static String encode(CachedModel model) {
        Writer out = new Writer();
        out.string(model.textKey());
        out.string(model.planKey());
        out.number(model.references().size());
        for (CachedModel.CachedReference reference : model.references()) {
            out.strings(reference.parts());
            // start is -1 for a name not found in the text: shifted so that every number written is non-negative
            out.number(reference.start() + 1);
            out.number(reference.end() + 1);
            out.number(reference.line());
            out.number(reference.column());
        }
        out.string(model.executableSql());
        out.string(model.template());
        out.strings(model.upstreamModels());
        out.strings(model.upstreamSources());
        out.number(model.columns().size());
        model.columns().forEach(column -> {
            out.string(column.name());
            out.string(column.type());
        });
        out.number(model.opaque() ? 1 : 0);
        out.number(model.lineage().size());
        model.lineage().forEach((column, origins) -> {
            out.string(column);
            out.number(origins.size());
            for (ColumnOrigin origin : origins) {
                out.string(origin.relation());
                out.string(origin.column());
                out.string(origin.type());
                out.string(origin.subtype());
                out.number(origin.masking() ? 1 : 0);
            }
        });
        out.map(model.expressions());
        out.map(model.columnSql());
        out.string(model.lineageProblem());
        out.strings(model.windowBounds());
        return Base64.getEncoder().encodeToString(out.bytes.toByteArray());
    }

    /** @throws IllegalArgumentException when the text is not one whole payload */
    static CachedModel decode(String payload) {
        return decode(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The payload from its Base64 text's bytes (as the cache checked them: decoding from them spares a copy).
     *
     * @throws IllegalArgumentException when the text is not one whole payload
     */
    static CachedModel decode(byte[] payload) {
        Reader in = new Reader(Base64.getDecoder().decode(payload));
        String textKey = in.required();
        String planKey = in.required();
        int referenceCount = in.count();
        List<CachedModel.CachedReference> references = new ArrayList<>(referenceCount);
        for (int i = 0; i < referenceCount; i++) {
            references.add(new CachedModel.CachedReference(in.strings(new ArrayList<>()), in.number() - 1,
                    in.number() - 1, in.number(), in.number()));
        }
        String executableSql = in.required();
        String template = in.required();
        Set<String> upstreamModels = in.strings(new LinkedHashSet<>());
        Set<String> upstreamSources = in.strings(new LinkedHashSet<>());
        int columnCount = in.count();
        List<ColumnType> columns = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            columns.add(new ColumnType(in.required(), in.required()));
        }
        boolean opaque = in.flag();
        int lineageCount = in.count();
        Map<String, List<ColumnOrigin>> lineage = new LinkedHashMap<>();
        for (int i = 0; i < lineageCount; i++) {
            String column = in.required();
            int originCount = in.count();
            List<ColumnOrigin> origins = new ArrayList<>(originCount);
            for (int j = 0; j < originCount; j++) {
                origins.add(new ColumnOrigin(in.required(), in.required(), in.required(), in.required(), in.flag()));
            }
            lineage.put(column, List.copyOf(origins));
        }
        Map<String, String> expressions = in.map();
        Map<String, String> columnSql = in.map();
        String lineageProblem = in.string();
        Set<String> windowBounds = in.strings(new LinkedHashSet<>());
        in.end();
        return new CachedModel(textKey, planKey, List.copyOf(references), executableSql, template, upstreamModels,
                upstreamSources, List.copyOf(columns), opaque, lineage, expressions, columnSql, lineageProblem,
                windowBounds);
    }

    private static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        private final Map<String, Integer> known = new HashMap<>();

        /** Unsigned LEB128: seven bits a byte, the high bit set on every byte but the last. */
        void number(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("a cached plan holds no negative number: " + value);
            }
            int rest = value;
            while ((rest & ~0x7F) != 0) {
                bytes.write((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            bytes.write(rest);
        }

        void string(String value) {
            if (value == null) {
                number(NULL);
                return;
            }
            Integer index = known.get(value);
            if (index != null) {
                number(FIRST_KNOWN + index);
                return;
            }
            known.put(value, known.size());
            number(NEW);
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            number(utf8.length);
            bytes.write(utf8, 0, utf8.length);
        }

        void strings(java.util.Collection<String> values) {
            number(values.size());
            values.forEach(this::string);
        }

        void map(Map<String, String> values) {
            number(values.size());
            values.forEach((key, value) -> {
                string(key);
                string(value);
            });
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;
        private final List<String> known = new ArrayList<>();

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int number() {
            int value = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int next = bytes[at++];
                value |= (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    if (value < 0) {
                        break;
                    }
                    return value;
                }
            }
            throw new IllegalArgumentException("a number out of range at byte " + at);
        }

        /** A count of items that follow, each at least one byte: never more than the bytes left. */
        int count() {
            int count = number();
            if (count > bytes.length - at) {
                throw new IllegalArgumentException("a count of " + count + " with " + (bytes.length - at)
                        + " bytes left");
            }
            return count;
        }

        boolean flag() {
            int value = number();
            if (value > 1) {
                throw new IllegalArgumentException("a flag of " + value);
            }
            return value == 1;
        }

        String string() {
            int reference = number();
            if (reference == NULL) {
                return null;
            }
            if (reference != NEW) {
                return known.get(reference - FIRST_KNOWN);
            }
            int length = count();
            String value = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            known.add(value);
            return value;
        }

        String required() {
            String value = string();
            if (value == null) {
                throw new IllegalArgumentException("a missing string at byte " + at);
            }
            return value;
        }

        <C extends java.util.Collection<String>> C strings(C into) {
            int count = count();
            for (int i = 0; i < count; i++) {
                into.add(required());
            }
            return into;
        }

        Map<String, String> map() {
            int count = count();
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                values.put(required(), string());
            }
            return values;
        }

        void end() {
            if (at != bytes.length) {
                throw new IllegalArgumentException((bytes.length - at) + " bytes after the cached plan");
            }
        }
    }
}
