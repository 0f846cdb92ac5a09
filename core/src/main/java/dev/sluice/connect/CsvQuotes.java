package dev.sluice.connect;

import dev.sluice.engine.Sql;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the lines of CSV files whose quoting is malformed by RFC 4180 (a quoted field that never closes, or text after
 * a closing quote), so that only those lines are rejected. DuckDB's reader lets an unterminated quote swallow every
 * following line up to the next quote character; here the record that cannot be parsed is rejected by its first
 * line alone and reading resumes on the next line. Files with such lines are read from a copy in which those lines are
 * blank (DuckDB skips blank lines and keeps counting them, so every other line keeps its number).
 */
public final class CsvQuotes {
    /**
     * Files larger than this are read by DuckDB alone (they are scanned in memory), where an unterminated quote
     * rejects the lines up to the next quote.
     */
    private static final long MAX_SCANNED = 256L << 20;

    private CsvQuotes() {
    }

    /** A line rejected for its quoting, with its file (absolute), 1-based line number, reason and text. */
    public record Malformed(String file, long line, String reason, String text) {
    }

    /**
     * The files to read in place of the given ones (copies for those with malformed lines) and the lines rejected.
     * Closing it deletes the copies.
     *
     * @param originals copy → the file it stands for
     */
    public record Prepared(List<String> files, Map<String, String> originals, List<Malformed> malformed, Path scratch)
            implements AutoCloseable {
        public Prepared {
            files = List.copyOf(files);
            originals = Map.copyOf(originals);
            malformed = List.copyOf(malformed);
        }

        public boolean copied() {
            return !originals.isEmpty();
        }

        /** A SQL expression giving the original file of the path that {@code expression} yields. */
        public String original(String expression) {
            if (originals.isEmpty()) {
                return expression;
            }
            StringBuilder sql = new StringBuilder("CASE ").append(expression);
            originals.forEach((copy, file) -> sql.append(" WHEN ").append(Sql.string(copy)).append(" THEN ")
                    .append(Sql.string(file)));
            return sql.append(" ELSE ").append(expression).append(" END").toString();
        }

        @Override
        public void close() {
            if (scratch == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Scans the files of a CSV source ({@code delimiter} and {@code quote} as configured, null for the defaults)
     * and copies those with malformed lines, blanked, into a scratch folder made under {@code scratchParent}: inside
     * the project, the only place a confined DuckDB session may read them from.
     */
    public static Prepared prepare(List<String> files, String delimiter, String quote, Path scratchParent) {
        byte quoteChar = (byte) (quote == null || quote.length() != 1 ? '"' : quote.charAt(0));
        List<String> read = new ArrayList<>();
        Map<String, String> originals = new LinkedHashMap<>();
        List<Malformed> malformed = new ArrayList<>();
        Path scratch = null;
        try {
            for (String file : files) {
                Path path = Path.of(file);
                String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                // Compressed files are read by DuckDB as they are.
                if (name.endsWith(".gz") || name.endsWith(".zst") || Files.size(path) > MAX_SCANNED) {
                    read.add(file);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(path);
                byte separator = delimiter == null ? delimiterOf(bytes, quoteChar)
                        : (byte) (delimiter.length() == 1 ? delimiter.charAt(0) : ',');
                List<long[]> bad = scan(bytes, separator, quoteChar);
                if (bad.isEmpty()) {
                    read.add(file);
                    continue;
                }
                if (scratch == null) {
                    Files.createDirectories(scratchParent);
                    scratch = Files.createTempDirectory(scratchParent, "sluice-csv");
                }
                Path copy = scratch.resolve(originals.size() + "-" + path.getFileName());
                try (OutputStream out = Files.newOutputStream(copy)) {
                    int from = 0;
                    for (long[] line : bad) {
                        int start = (int) line[1];
                        int end = lineEnd(bytes, start);
                        malformed.add(new Malformed(file, line[0], line[2] == 0 ? "unterminated quote: a quoted field "
                                + "opened on this line never closes" : "text after a closing quote; a quote inside a "
                                + "field is written twice (\"\")", new String(bytes, start, end - start,
                                StandardCharsets.UTF_8).stripTrailing()));
                        out.write(bytes, from, start - from);
                        // The blank line keeps the file's line ending (CRLF too): a bare LF among CRLFs makes
                        // DuckDB's sniffer fail to find the dialect, even with every option pinned.
                        from = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
                    }
                    out.write(bytes, from, bytes.length - from);
                }
                read.add(copy.toString());
                originals.put(copy.toString(), file);
            }
        } catch (IOException e) {
            new Prepared(List.of(), Map.of(), List.of(), scratch).close();
            throw new UncheckedIOException(e);
        }
        return new Prepared(read, originals, malformed, scratch);
    }

    /**
     * The records that RFC 4180 cannot parse, each as {line number, offset of its first line, 0 for an unterminated
     * quote or 1 for text after a closing quote}. A record that fails is rejected by its first line, and parsing
     * resumes on the next line: an unterminated quote never swallows the lines after it.
     */
    static List<long[]> scan(byte[] bytes, byte separator, byte quote) {
        List<long[]> bad = new ArrayList<>();
        int position = 0;
        long line = 1;
        while (position < bytes.length) {
            int start = position;
            long lines = 0;
            boolean fieldStart = true;
            int failure = -1;
            int at = position;
            while (at < bytes.length) {
                byte c = bytes[at];
                if (fieldStart && c == quote) {
                    at++;
                    long linesBefore = lines;
                    boolean closed = false;
                    while (at < bytes.length) {
                        if (bytes[at] == quote) {
                            if (at + 1 < bytes.length && bytes[at + 1] == quote) {
                                at += 2;
                                continue;
                            }
                            closed = true;
                            at++;
                            break;
                        }
                        if (bytes[at] == '\n') {
                            lines++;
                        }
                        at++;
                    }
                    if (!closed) {
                        failure = 0;
                        break;
                    }
                    if (at < bytes.length && bytes[at] == '\r') {
                        at++;
                    }
                    if (at < bytes.length && bytes[at] != separator && bytes[at] != '\n') {
                        // A field that ran over lines into text after its "closing" quote: the quote opened on the
                        // record's line is what never closed.
                        failure = lines > linesBefore ? 0 : 1;
                        break;
                    }
                    fieldStart = false;
                    continue;
                }
                at++;
                if (c == '\n') {
                    lines++;
                    break;
                }
                fieldStart = c == separator;
            }
            if (failure >= 0) {
                bad.add(new long[] {line, start, failure});
                position = lineEnd(bytes, start);
                position = position < bytes.length ? position + 1 : position;
                line++;
            } else {
                position = at;
                line += lines;
            }
        }
        return bad;
    }

    /**
     * The delimiter DuckDB's sniffer would find, for a source that does not set one: of , ; tab and |, the one found
     * most often outside quotes in the first line (a comma when none is).
     */
    static byte delimiterOf(byte[] bytes, byte quote) {
        byte[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int at = 0; at < bytes.length && (quoted || bytes[at] != '\n'); at++) {
            if (bytes[at] == quote) {
                quoted = !quoted;
            }
            for (int i = 0; i < candidates.length && !quoted; i++) {
                counts[i] += bytes[at] == candidates[i] ? 1 : 0;
            }
        }
        int best = 0;
        for (int i = 1; i < candidates.length; i++) {
            best = counts[i] > counts[best] ? i : best;
        }
        return candidates[best];
    }

    /** The offset of the line feed ending the line that starts at {@code start}, or the end of the bytes. */
    private static int lineEnd(byte[] bytes, int start) {
        int end = start;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        return end;
    }
}
