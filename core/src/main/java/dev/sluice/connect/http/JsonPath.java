package dev.sluice.connect.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path to a value inside a JSON document, written as APIs document them ({@code $.data.items},
 * {@code data.items}, {@code address.city}, {@code tags[0]}), kept as Jackson's {@link JsonPointer}. Only field names
 * and array indexes: what selecting records and nested fields needs (as Airbyte's {@code field_path} and dlt's
 * {@code data_selector}), without a JSONPath library and its filter language.
 *
 * @param text the path as written
 * @param segments the field names and indexes, in order (none for the document itself)
 * @param pointer the same path as Jackson reads it
 */
record JsonPath(String text, List<String> segments, JsonPointer pointer) {
    static final JsonPath ROOT = of("$", List.of());
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]|\\['([^']+)']");

    JsonPath {
        segments = List.copyOf(segments);
    }

    private static JsonPath of(String text, List<String> segments) {
        StringBuilder pointer = new StringBuilder();
        // A pointer's segment is a field of an object and an index of an array alike.
        segments.forEach(segment -> pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1")));
        return new JsonPath(text, segments, JsonPointer.compile(pointer.toString()));
    }

    /** The path, or null when it is not one (the caller reports it). */
    static JsonPath parse(String text) {
        String rest = text.strip();
        if (rest.equals("$") || rest.isEmpty()) {
            return ROOT;
        }
        rest = rest.startsWith("$.") ? rest.substring(2) : rest.startsWith("$[") ? rest.substring(1) : rest;
        List<String> segments = new ArrayList<>();
        int at = 0;
        while (at < rest.length()) {
            if (rest.charAt(at) == '.' && at > 0) {
                at++;
            }
            Matcher matcher = SEGMENT.matcher(rest).region(at, rest.length());
            if (!matcher.lookingAt()) {
                return null;
            }
            segments.add(matcher.group(1) != null ? matcher.group(1).strip()
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
            at = matcher.end();
        }
        return of(text, segments);
    }

    /** The field a single-name path reads: the column a record's field of that name fills. */
    static JsonPath field(String name) {
        return of(name, List.of(name));
    }

    /** The value at the path, or a missing node. */
    JsonNode in(JsonNode document) {
        return document.at(pointer);
    }

    /** The record's top-level field the path starts at, or null for the document itself. */
    String first() {
        return segments.isEmpty() ? null : segments.get(0);
    }
}
