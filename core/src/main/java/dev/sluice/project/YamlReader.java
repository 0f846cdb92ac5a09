package dev.sluice.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a located {@link YamlNode} tree with Jackson's streaming YAML parser. The text may be an
 * excerpt of a file (front matter), so positions are shifted by where the excerpt starts.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A YAML syntax error at a position of the file. */
    static final class SyntaxError extends Exception {
        private final int line;
        private final int column;

        SyntaxError(String message, int line, int column) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    private final int lineOffset;
    private final int firstLineColumnOffset;

    private YamlReader(int lineOffset, int firstLineColumnOffset) {
        this.lineOffset = lineOffset;
        this.firstLineColumnOffset = firstLineColumnOffset;
    }

    /** Parses a whole file; null for an empty document. */
    static YamlNode read(String text) throws SyntaxError {
        return read(text, 1, 1);
    }

    /**
     * Parses an excerpt that starts at {@code startLine}:{@code startColumn} of its file; null for an empty
     * document (nothing or only comments).
     */
    static YamlNode read(String text, int startLine, int startColumn) throws SyntaxError {
        YamlReader reader = new YamlReader(startLine - 1, startColumn - 1);
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            YamlNode root = reader.value(parser, token);
            // reading on makes SnakeYAML check the rest of the text, which would otherwise be ignored silently
            if (parser.nextToken() != null) {
                JsonLocation location = parser.currentTokenLocation();
                throw new SyntaxError("more than one YAML document; remove the --- separator",
                        reader.line(location.getLineNr()), reader.column(location.getLineNr(), location.getColumnNr()));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw reader.syntaxError(e);
        } catch (IOException e) {
            // reading a String never does I/O
            throw new UncheckedIOException(e);
        }
    }

    private YamlNode value(JsonParser parser, JsonToken token) throws IOException, SyntaxError {
        JsonLocation location = parser.currentTokenLocation();
        int line = line(location.getLineNr());
        int column = column(location.getLineNr(), location.getColumnNr());
        return switch (token) {
            case START_OBJECT -> mapping(parser, line, column);
            case START_ARRAY -> sequence(parser, line, column);
            case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> new YamlNode.Scalar(YamlNode.Scalar.Type.STRING, parser.getText(), line, column);
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(YamlNode.Scalar.Type.INTEGER, parser.getText(), line, column);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(YamlNode.Scalar.Type.DECIMAL, parser.getText(), line, column);
            case VALUE_TRUE -> new YamlNode.Scalar(YamlNode.Scalar.Type.BOOLEAN, "true", line, column);
            case VALUE_FALSE -> new YamlNode.Scalar(YamlNode.Scalar.Type.BOOLEAN, "false", line, column);
            case VALUE_NULL -> new YamlNode.Scalar(YamlNode.Scalar.Type.NULL, "null", line, column);
            case END_OBJECT, END_ARRAY, FIELD_NAME, NOT_AVAILABLE -> throw new SyntaxError("unexpected " + token, line, column);
        };
    }

    private YamlNode mapping(JsonParser parser, int line, int column) throws IOException, SyntaxError {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            JsonLocation location = parser.currentTokenLocation();
            int keyLine = line(location.getLineNr());
            int keyColumn = column(location.getLineNr(), location.getColumnNr());
            String key = parser.currentName();
            YamlNode value = value(parser, parser.nextToken());
            if (entries.containsKey(key)) {
                // YAML forbids duplicate keys, and silently keeping the last one hides a typo
                throw new SyntaxError("duplicate key '" + key + "' (first at line " + entries.get(key).line() + ")",
                        keyLine, keyColumn);
            }
            entries.put(key, new YamlNode.Entry(key, value, keyLine, keyColumn));
        }
        return new YamlNode.Mapping(entries, line, column);
    }

    private YamlNode sequence(JsonParser parser, int line, int column) throws IOException, SyntaxError {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(value(parser, token));
        }
        return new YamlNode.Sequence(items, line, column);
    }

    private SyntaxError syntaxError(JsonProcessingException e) {
        int rawLine = 0;
        int rawColumn = 0;
        // SnakeYAML knows where the problem is; Jackson's own location is where it was when the error surfaced
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
            rawLine = marked.getProblemMark().getLine() + 1;
            rawColumn = marked.getProblemMark().getColumn() + 1;
        } else if (e.getLocation() != null) {
            rawLine = e.getLocation().getLineNr();
            rawColumn = e.getLocation().getColumnNr();
        }
        return new SyntaxError(describe(e.getOriginalMessage()), line(rawLine), column(rawLine, rawColumn));
    }

    /** SnakeYAML's message spans several lines with a snippet and a caret; keep only the sentences. */
    static String describe(String message) {
        List<String> parts = new ArrayList<>();
        for (String part : message.split("\\R")) {
            String trimmed = part.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("in 'reader'") || trimmed.equals("^") || part.startsWith("    ")) {
                continue;
            }
            parts.add(trimmed);
        }
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    private int line(int rawLine) {
        return rawLine <= 0 ? 0 : rawLine + lineOffset;
    }

    private int column(int rawLine, int rawColumn) {
        if (rawColumn <= 0) {
            return 0;
        }
        return rawLine == 1 ? rawColumn + firstLineColumnOffset : rawColumn;
    }
}
