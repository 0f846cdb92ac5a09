package dev.sluice.connect.http;

import dev.sluice.connect.Retries;
import dev.sluice.connect.http.HttpSpec.Auth;
import dev.sluice.connect.http.HttpSpec.Column;
import dev.sluice.connect.http.HttpSpec.ExtraFields;
import dev.sluice.connect.http.HttpSpec.Incremental;
import dev.sluice.connect.http.HttpSpec.Pagination;
import dev.sluice.project.SourceConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the settings of a {@code type: http} source, reporting every problem at its line. */
final class HttpConfigParser {
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("type", "url", "params", "headers", "auth", "records", "columns",
                "extra_fields", "pagination", "incremental", "rate_limit", "quality", "pii"));
        keys.addAll(Retries.KEYS);
        KEYS = List.copyOf(keys);
    }

    /** A SQL type as written in a column declaration: a name, with precision or a list suffix. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ,()]*(\\[])?");
    private static final Pattern RATE = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)(?:\\s*(?:/|per)\\s*(second|sec|s|minute|min|m))?", Pattern.CASE_INSENSITIVE);

    /** Parameter and header names that carry credentials: their values must come from the environment. */
    private static final Pattern SENSITIVE = Pattern.compile(
            "(?i)(proxy-)?authorization|cookie|.*(token|secret|password|passwd|api[-_]?key|access[-_]?key|signature).*");

    private enum AuthType { BEARER, BASIC, HEADER }

    private enum PaginationType { CURSOR, PAGE, OFFSET, LINK_HEADER }

    private HttpConfigParser() {
    }

    static HttpSpec parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        URI url = url(config);
        Map<String, String> params = strings(config, "params");
        Map<String, String> headers = strings(config, "headers");
        Auth auth = config.has("auth") ? auth(config) : null;
        String recordsText = config.has("records") ? config.string("records") : "$";
        JsonPath records = recordsText == null ? null : JsonPath.parse(recordsText);
        if (recordsText != null && records == null) {
            config.problem("records", "Cannot read %s records: '%s' is not a JSON path; write field names and "
                    + "indexes such as $.data.items or data[0].rows", what, recordsText);
        }
        List<Column> columns = columns(config);
        ExtraFields extra = config.has("extra_fields") ? config.choice("extra_fields", ExtraFields.class)
                : ExtraFields.KEEP;
        Pagination pagination = config.has("pagination") ? pagination(config) : new Pagination.None();
        Incremental incremental = config.has("incremental") ? incremental(config, columns) : null;
        Double rate = config.has("rate_limit") ? rate(config) : null;
        Retries retries = Retries.parse(config);
        boolean failed = url == null || params == null || headers == null || (config.has("auth") && auth == null)
                || records == null || columns == null || extra == null || pagination == null
                || (config.has("incremental") && incremental == null) || (config.has("rate_limit") && rate == null)
                || retries == null;
        return failed ? null : new HttpSpec(url, params, headers, auth, records, columns, extra, pagination,
                incremental, rate, retries);
    }

    private static URI url(SourceConfig config) {
        String text = config.string("url");
        if (text == null) {
            if (!config.has("url")) {
                config.problem(null, "Cannot read %s: an http source needs url: (the address of the API's first "
                        + "page, such as https://api.example.com/v1/customers)", config.what());
            }
            return null;
        }
        try {
            URI url = new URI(text.strip());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null
                    && url.getRawUserInfo() == null && url.getRawFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below, with the fix
        }
        config.problem("url", "Cannot read %s url: '%s' is not an http(s) address with a host (and no user "
                + "or password in it: use auth:); write it as https://host[:port]/path", config.what(), text);
        return null;
    }

    /** A mapping of names to scalar values (numbers and booleans as written); null after a reported problem. */
    private static Map<String, String> strings(SourceConfig config, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!config.has(key)) {
            return values;
        }
        if (!(config.plain(key) instanceof Map<?, ?> map)) {
            config.problem(key, "Cannot read %s %s: expected a map of names to values, such as { status: active }, "
                    + "found %s", config.what(), key, config.kind(key));
            return null;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() == null || entry.getValue() instanceof Map || entry.getValue() instanceof List) {
                config.problem(key, "Cannot read %s %s: '%s' must be a single value", config.what(), key,
                        entry.getKey());
                return null;
            }
            String name = String.valueOf(entry.getKey());
            if (SENSITIVE.matcher(name).matches()) {
                // A credential by its name: refused in clear text, like auth:'s values.
                String secret = config.mapping(key, config.what() + " " + key).secret(name);
                if (secret == null) {
                    return null;
                }
            }
            values.put(name, String.valueOf(entry.getValue()));
        }
        return values;
    }

    private static Auth auth(SourceConfig config) {
        SourceConfig auth = config.mapping("auth", config.what() + " auth");
        if (auth == null) {
            return null;
        }
        AuthType type = auth.has("type") ? auth.choice("type", AuthType.class) : null;
        if (type == null) {
            if (!auth.has("type")) {
                auth.problem(null, "Cannot read %s: auth needs type: bearer, basic or header", config.what());
            }
            return null;
        }
        return switch (type) {
            case BEARER -> {
                auth.checkKeys(List.of("type", "token"));
                String token = required(auth, "token");
                yield token == null ? null : new Auth.Bearer(token);
            }
            case BASIC -> {
                auth.checkKeys(List.of("type", "user", "password"));
                String user = auth.string("user");
                String password = required(auth, "password");
                if (user == null && !auth.has("user")) {
                    auth.problem(null, "Cannot read %s: basic auth needs user: and password:", auth.what());
                }
                yield user == null || password == null ? null : new Auth.Basic(user, password);
            }
            case HEADER -> {
                auth.checkKeys(List.of("type", "name", "value"));
                String name = auth.string("name");
                String value = required(auth, "value");
                if (name == null && !auth.has("name")) {
                    auth.problem(null, "Cannot read %s: header auth needs name: (the header, such as X-Api-Key) "
                            + "and value:", auth.what());
                }
                yield name == null || value == null ? null : new Auth.Header(name, value);
            }
        };
    }

    /** A secret the auth type needs: from the environment, never written in the file. */
    private static String required(SourceConfig auth, String key) {
        if (!auth.has(key)) {
            auth.problem(null, "Cannot read %s: %s: is missing; write %s: ${env:NAME} and set NAME in the "
                    + "environment", auth.what(), key, key);
            return null;
        }
        return auth.secret(key);
    }

    private static List<Column> columns(SourceConfig config) {
        String what = config.what();
        if (!(config.plain("columns") instanceof Map<?, ?> declared) || declared.isEmpty()) {
            config.problem(config.has("columns") ? "columns" : null, "Cannot read %s: an http source needs "
                    + "columns: mapping each column to its type, such as { id: BIGINT, city: { type: VARCHAR, "
                    + "path: address.city } }", what);
            return null;
        }
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<?, ?> entry : declared.entrySet()) {
            String name = String.valueOf(entry.getKey());
            Object type = entry.getValue();
            JsonPath path = JsonPath.field(name);
            if (type instanceof Map<?, ?> detail) {
                Object pathText = detail.get("path");
                type = detail.get("type");
                path = pathText == null ? path : JsonPath.parse(String.valueOf(pathText));
                if (path == null || path.segments().isEmpty() || !List.of("type", "path").containsAll(
                        detail.keySet())) {
                    config.problem("columns", "Cannot read %s column %s: expected { type: ..., path: ... } with a "
                            + "JSON path to a field of the record such as address.city, found %s", what, name, detail);
                    return null;
                }
            }
            if (!(type instanceof String text) || !TYPE.matcher(text).matches()) {
                config.problem("columns", "Cannot read %s column %s: '%s' is not a type; use a type such as BIGINT, "
                        + "VARCHAR, TIMESTAMP or JSON", what, name, type);
                return null;
            }
            if (name.equals(HttpSpec.EXTRA)) {
                config.problem("columns", "Cannot read %s: column %s is where extra fields are kept; rename it",
                        what, name);
                return null;
            }
            columns.add(new Column(name, text.strip(), path));
        }
        return columns;
    }

    private static Pagination pagination(SourceConfig config) {
        SourceConfig paging = config.mapping("pagination", config.what() + " pagination");
        if (paging == null) {
            return null;
        }
        PaginationType type = paging.has("type") ? paging.choice("type", PaginationType.class) : null;
        if (type == null) {
            if (!paging.has("type")) {
                paging.problem(null, "Cannot read %s: pagination needs type: cursor, page, offset or link_header",
                        config.what());
            }
            return null;
        }
        return switch (type) {
            case CURSOR -> {
                paging.checkKeys(List.of("type", "cursor_path", "cursor_param"));
                String next = paging.string("cursor_path");
                String param = paging.string("cursor_param");
                JsonPath path = next == null ? null : JsonPath.parse(next);
                if (path == null || path.segments().isEmpty() || param == null) {
                    paging.problem(null, "Cannot read %s: cursor pagination needs cursor_path: (the JSON path of "
                            + "the next page's cursor in a page, such as meta.next_cursor) and cursor_param: (the "
                            + "request parameter it is sent in)", paging.what());
                    yield null;
                }
                yield new Pagination.Cursor(path, param);
            }
            case PAGE -> {
                paging.checkKeys(List.of("type", "page_param", "start", "size_param", "size"));
                String param = paging.has("page_param") ? paging.string("page_param") : "page";
                Long start = paging.has("start") ? paging.integer("start", 0) : Long.valueOf(1);
                String sizeParam = paging.string("size_param");
                Long size = paging.integer("size", 1);
                if ((sizeParam == null) != (size == null)) {
                    paging.problem(null, "Cannot read %s: size_param: and size: go together (the parameter "
                            + "naming the page size, and the size)", paging.what());
                    yield null;
                }
                yield param == null || start == null ? null : new Pagination.Page(param, start, sizeParam, size);
            }
            case OFFSET -> {
                paging.checkKeys(List.of("type", "offset_param", "limit_param", "limit"));
                String offset = paging.has("offset_param") ? paging.string("offset_param") : "offset";
                String limitParam = paging.has("limit_param") ? paging.string("limit_param") : "limit";
                Long limit = paging.has("limit") ? paging.integer("limit", 1) : Long.valueOf(100);
                yield offset == null || limitParam == null || limit == null ? null
                        : new Pagination.Offset(offset, limitParam, limit);
            }
            case LINK_HEADER -> {
                paging.checkKeys(List.of("type"));
                yield new Pagination.LinkHeader();
            }
        };
    }

    private static Incremental incremental(SourceConfig config, List<Column> columns) {
        SourceConfig incremental = config.mapping("incremental", config.what() + " incremental");
        if (incremental == null) {
            return null;
        }
        incremental.checkKeys(List.of("cursor_field", "param", "key"));
        String field = incremental.string("cursor_field");
        String param = incremental.string("param");
        List<String> key = incremental.strings("key");
        if (field == null || param == null) {
            incremental.problem(null, "Cannot read %s: incremental needs cursor_field: (the column that grows, "
                    + "such as updated_at) and param: (the request parameter the highest value loaded is sent in)",
                    incremental.what());
            return null;
        }
        List<String> names = columns == null ? null : columns.stream().map(Column::name).toList();
        for (String column : concat(field, key)) {
            if (names != null && !names.contains(column)) {
                incremental.problem(column.equals(field) ? "cursor_field" : "key", "Cannot read %s: '%s' is not "
                        + "one of the declared columns %s", incremental.what(), column, String.join(", ", names));
                return null;
            }
        }
        return new Incremental(field, param, key);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** Requests per second, from {@code 5}, {@code 5 per second} or {@code 120 per minute}. */
    private static Double rate(SourceConfig config) {
        String text = config.text("rate_limit");
        Matcher matcher = text == null ? null : RATE.matcher(text.strip());
        if (matcher == null || !matcher.matches() || Double.parseDouble(matcher.group(1)) <= 0) {
            config.problem("rate_limit", "Cannot read %s rate_limit: '%s' is not a rate; write requests per "
                    + "second or minute, such as '5 per second' or '120 per minute'", config.what(), text);
            return null;
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2).toLowerCase(Locale.ROOT);
        return unit.startsWith("m") ? amount / 60 : amount;
    }
}
