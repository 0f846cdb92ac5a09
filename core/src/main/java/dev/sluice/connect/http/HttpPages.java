package dev.sluice.connect.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.Retries;
import dev.sluice.connect.http.HttpSpec.Pagination;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JSON API page by page: builds each request (parameters, headers, credentials, the page asked for), waits for
 * the rate limit, retries what may pass on a second try (connection errors, timeouts, 5xx and 429, honouring
 * {@code Retry-After}) and hands each page's records on before asking for the next, so only one page is in memory.
 * A failure names the request's URL (its parameters as written, so that secrets in them are hidden by the caller's
 * redaction) and the page, never the credentials. One instance per load; not thread-safe.
 */
final class HttpPages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;[^,;]*)*)");
    private static final Pattern NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");
    /** Characters of a body shown in an error: enough for the API's own message. */
    private static final int SNIPPET = 200;

    /** What receives each page's records, in order. */
    interface PageSink {
        void page(Page page);
    }

    /**
     * One page read.
     *
     * @param number the page's number in this read, from 1
     * @param url the request's URL as shown in messages
     */
    record Page(int number, String url, JsonNode records) {
    }

    private final String name;
    private final HttpSpec spec;
    private final String since;
    private final HttpClient client;
    private final RateLimiter limiter;

    /** {@code since}: the checkpoint sent in the incremental parameter, or null for a first (or whole) read. */
    HttpPages(String name, HttpSpec spec, String since) {
        this.name = name;
        this.spec = spec;
        this.since = since;
        this.client = HttpClient.newBuilder().connectTimeout(spec.retries().timeout())
                // HTTP/2 where TLS negotiates it; on plain http, no h2c upgrade attempt that servers rarely take.
                .version(spec.url().getScheme().equalsIgnoreCase("https") ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.limiter = spec.rateLimit() == null ? null : RateLimiter.of(name, RateLimiterConfig.custom()
                // One request per slice of a second: never a burst of N at the turn of a period.
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1, (long) (1_000_000_000L / spec.rateLimit()))))
                .timeoutDuration(Duration.ofDays(1))
                .build());
    }

    /** Reads every page into {@code sink}; throws a {@link SluiceException} naming the failed page. */
    void read(PageSink sink) {
        Pagination pagination = spec.pagination();
        Map<String, String> asked = new LinkedHashMap<>();
        long number = pagination instanceof Pagination.Page paged ? paged.start() : 0;
        URI link = null;
        for (int page = 1; ; page++) {
            if (pagination instanceof Pagination.Page paged) {
                asked.put(paged.param(), Long.toString(number));
                if (paged.sizeParam() != null) {
                    asked.put(paged.sizeParam(), Long.toString(paged.size()));
                }
            } else if (pagination instanceof Pagination.Offset offset) {
                asked.put(offset.offsetParam(), Long.toString(number));
                asked.put(offset.limitParam(), Long.toString(offset.limit()));
            }
            // A link is shown decoded, as the redaction knows a secret the server may have put back in it.
            Request request = link != null ? new Request(link, link.getScheme() + "://" + link.getRawAuthority()
                    + link.getPath() + (link.getQuery() == null ? "" : "?" + link.getQuery())) : request(asked);
            HttpResponse<byte[]> response = send(request, page);
            JsonNode body = parse(request, page, response.body());
            JsonNode records = spec.records().in(body);
            if (records.isMissingNode() || records.isNull()) {
                records = JSON.createArrayNode();
            } else if (!records.isArray()) {
                throw failure(request, page, "records at '" + spec.records().text() + "' are " + kind(records)
                        + ", not an array; set records: to the JSON path of the array of records");
            }
            sink.page(new Page(page, request.shown(), records));
            boolean more;
            if (pagination instanceof Pagination.Cursor cursor) {
                JsonNode next = cursor.next().in(body);
                String value = next.isMissingNode() || next.isNull() ? "" : next.asText();
                // An empty page, or the cursor just sent, is the end (never a loop on a confused API).
                more = !value.isEmpty() && !value.equals(asked.get(cursor.param())) && !records.isEmpty();
                asked.put(cursor.param(), value);
            } else if (pagination instanceof Pagination.Page) {
                number++;
                more = !records.isEmpty();
            } else if (pagination instanceof Pagination.Offset offset) {
                number += records.size();
                more = records.size() >= offset.limit();
            } else if (pagination instanceof Pagination.LinkHeader) {
                link = next(request, page, response);
                more = link != null;
            } else {
                more = false;
            }
            if (!more) {
                return;
            }
        }
    }

    /**
     * A request to send: its address, and the same as shown in messages (parameters unencoded, so that a secret's
     * value appears as the redaction knows it).
     */
    private record Request(URI uri, String shown) {
    }

    private Request request(Map<String, String> asked) {
        Map<String, String> params = new LinkedHashMap<>(spec.params());
        if (since != null && spec.incremental() != null) {
            params.put(spec.incremental().param(), since);
        }
        params.putAll(asked);
        String base = spec.url().toString();
        StringBuilder query = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        String separator = spec.url().getRawQuery() == null ? "?" : "&";
        for (Map.Entry<String, String> param : params.entrySet()) {
            query.append(separator).append(encode(param.getKey())).append('=').append(encode(param.getValue()));
            shown.append(separator).append(param.getKey()).append('=').append(param.getValue());
            separator = "&";
        }
        return new Request(URI.create(base + query), base + shown);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<byte[]> send(Request request, int page) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).GET()
                .timeout(spec.retries().timeout()).header("Accept", "application/json");
        spec.headers().forEach(builder::setHeader);
        if (spec.auth() instanceof HttpSpec.Auth.Bearer bearer) {
            builder.setHeader("Authorization", "Bearer " + bearer.token());
        } else if (spec.auth() instanceof HttpSpec.Auth.Basic basic) {
            builder.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (basic.user() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8)));
        } else if (spec.auth() instanceof HttpSpec.Auth.Header header) {
            builder.setHeader(header.name(), header.value());
        }
        HttpRequest built = builder.build();
        try {
            return spec.retries().call(name, HttpPages::retryable, () -> attempt(built));
        } catch (Refused e) {
            throw failure(request, page, e.getMessage());
        } catch (Unavailable e) {
            throw failure(request, page, e.getMessage() + after());
        } catch (java.net.http.HttpTimeoutException e) {
            throw failure(request, page, "no answer within timeout " + spec.retries().timeout().toMillis()
                    + " ms" + after() + "; raise timeout: if the API is slow");
        } catch (IOException e) {
            throw failure(request, page, "cannot reach the server (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")" + after()
                    + "; check that the API is up and url: is right");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(request, page, "interrupted");
        } catch (Exception e) {
            throw failure(request, page, String.valueOf(e.getMessage()));
        }
    }

    private String after() {
        int retries = spec.retries().retries();
        return retries == 0 ? "" : " after " + retries + (retries == 1 ? " retry" : " retries");
    }

    private HttpResponse<byte[]> attempt(HttpRequest request) throws IOException, InterruptedException {
        if (limiter != null) {
            RateLimiter.waitForPermission(limiter);
        }
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String said = snippet(response.body());
        if (status == 429 || status >= 500) {
            throw new Unavailable("HTTP " + status + said, retryAfter(response));
        }
        if (status == 401 || status == 403) {
            throw new Refused("HTTP " + status + ": the server refused the credentials" + said + "; check auth: "
                    + "and the environment variable it reads");
        }
        throw new Refused("HTTP " + status + said + "; check url:, params: and headers:");
    }

    private static boolean retryable(Throwable failure) {
        return failure instanceof Unavailable || (failure instanceof IOException && !(failure instanceof Refused));
    }

    /** The server's {@code Retry-After}: seconds, or an HTTP date; null when absent or unreadable. */
    private static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(value.strip(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text);
    }

    private JsonNode parse(Request request, int page, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ");
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw failure(request, page, "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + message);
        } catch (IOException e) {
            throw failure(request, page, "cannot read the answer: " + e.getMessage());
        }
    }

    /** The next page's address from the {@code Link} header, or null on the last page. */
    private URI next(Request request, int page, HttpResponse<?> response) {
        for (String header : response.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = NEXT.matcher(link.group(2));
                while (rel.find()) {
                    if (List.of(rel.group(1).strip().split("\\s+")).contains("next")) {
                        URI next = request.uri().resolve(link.group(1).strip());
                        if (!Objects.equals(next.getScheme(), request.uri().getScheme())
                                || !Objects.equals(next.getHost(), request.uri().getHost())
                                || next.getPort() != request.uri().getPort()) {
                            // The credentials go only to the server of url:.
                            throw failure(request, page, "the Link header's next page " + next.getScheme() + "://"
                                    + next.getAuthority() + next.getPath() + " is on another server; Sluice sends "
                                    + "credentials only to the server of url:");
                        }
                        return next;
                    }
                }
            }
        }
        return null;
    }

    private SluiceException failure(Request request, int page, String cause) {
        return new SluiceException(ErrorCode.RUN_FAILED, "GET %s (page %d): %s", request.shown(), page, cause);
    }

    private static String kind(JsonNode node) {
        return node.isObject() ? "an object" : node.isTextual() ? "a string" : "a " + node.getNodeType()
                .name().toLowerCase(java.util.Locale.ROOT);
    }

    /** An answer that may change on a later try: 5xx, 429. */
    private static final class Unavailable extends IOException implements Retries.ServerDelay {
        private final Duration delay;

        Unavailable(String message, Duration delay) {
            super(message);
            this.delay = delay;
        }

        @Override
        public Duration delay() {
            return delay == null ? Duration.ZERO : delay;
        }
    }

    /** An answer that will not change on a later try: bad credentials, a missing page. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
