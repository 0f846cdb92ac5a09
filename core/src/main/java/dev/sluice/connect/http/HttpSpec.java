package dev.sluice.connect.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.connect.Retries;
import dev.sluice.project.SourceSpec;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a {@code type: http} source: a JSON API read page by page, its records flattened to declared
 * columns.
 *
 * @param url the first page's address, without query parameters of its own beyond those written in it
 * @param params query parameters sent with every request (values may hold secrets from the environment)
 * @param headers request headers sent with every request
 * @param auth how the requests authenticate, or null
 * @param records where the array of records is in a page ({@link JsonPath#ROOT}: the page is the array)
 * @param columns the declared columns, in order
 * @param extraFields what happens to a record's fields that no column reads
 * @param pagination how the next page is asked for
 * @param incremental the cursor field kept as the source's checkpoint, or null to read everything every run
 * @param rateLimit the most requests per second, or null for no limit
 */
record HttpSpec(URI url, Map<String, String> params, Map<String, String> headers, Auth auth, JsonPath records,
        List<Column> columns, ExtraFields extraFields, Pagination pagination, Incremental incremental,
        Double rateLimit, Retries retries) implements SourceSpec {
    /** The JSON column holding the fields no column reads, with {@code extra_fields: keep}. */
    static final String EXTRA = "_extra";

    HttpSpec {
        requireNonNull(url, "url");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        requireNonNull(records, "records");
        columns = List.copyOf(columns);
        requireNonNull(extraFields, "extraFields");
        requireNonNull(pagination, "pagination");
        requireNonNull(retries, "retries");
    }

    @Override
    public String type() {
        return "http";
    }

    /** What happens to a record's fields that no declared column reads. */
    enum ExtraFields {
        /** Kept together as a JSON object in column {@code _extra}. */
        KEEP,
        /** The load fails, naming the field: the declared columns must say everything the API sends. */
        REFUSE,
        /** Dropped. */
        IGNORE
    }

    /**
     * A declared column.
     *
     * @param name the column's name in the warehouse
     * @param type its SQL type
     * @param path where its value is in a record (by default the field of the column's name)
     */
    record Column(String name, String type, JsonPath path) {
        Column {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            requireNonNull(path, "path");
        }
    }

    /** How a request authenticates; every value comes from the environment. */
    sealed interface Auth {
        /** {@code Authorization: Bearer <token>}. */
        record Bearer(String token) implements Auth {
        }

        /** {@code Authorization: Basic base64(user:password)}. */
        record Basic(String user, String password) implements Auth {
        }

        /** A header of the API's own, such as {@code X-Api-Key}. */
        record Header(String name, String value) implements Auth {
        }
    }

    /** How the next page is asked for. */
    sealed interface Pagination {
        /** One request: the API answers with everything. */
        record None() implements Pagination {
        }

        /** The page holds the next page's cursor ({@code next}); it is sent back in {@code param}; none: the end. */
        record Cursor(JsonPath next, String param) implements Pagination {
        }

        /** Pages numbered from {@code start}, of {@code size} records when the API takes a size; an empty page ends. */
        record Page(String param, long start, String sizeParam, Long size) implements Pagination {
        }

        /** Records from an offset, {@code limit} at a time; a page of fewer than {@code limit} records ends. */
        record Offset(String offsetParam, String limitParam, long limit) implements Pagination {
        }

        /** The next page's address in the response's {@code Link} header (RFC 8288, rel="next"). */
        record LinkHeader() implements Pagination {
        }
    }

    /**
     * Incremental reads: the highest value of {@code cursorField} loaded is the source's checkpoint, sent as
     * {@code param} on the next run so that the API sends only newer records.
     *
     * @param key the columns identifying a record: a record sent again (updated) replaces the one held
     */
    record Incremental(String cursorField, String param, List<String> key) {
        Incremental {
            requireNonNull(cursorField, "cursorField");
            requireNonNull(param, "param");
            key = List.copyOf(key);
        }
    }
}
