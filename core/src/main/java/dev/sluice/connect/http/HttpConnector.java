package dev.sluice.connect.http;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.connect.Detector;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceInput;
import dev.sluice.connect.Tracked;
import dev.sluice.connect.TrackedRows;
import dev.sluice.connect.WholeRead;
import dev.sluice.engine.Session;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code type: http}: a JSON API read page by page ({@link HttpPages}), its records flattened to the declared columns
 * and staged through the engine's bulk appender ({@link HttpStaging}); then the source's table is replaced whole, or,
 * with {@code incremental:}, the new records are added in {@link dev.sluice.connect.Tracked}'s layout by
 * {@link TrackedRows} with the cursor field as the watermark: the highest value loaded is the checkpoint, sent to the
 * API on the next run. Every page is read before anything is published: a failed page leaves the source and its
 * checkpoint as they were.
 */
public final class HttpConnector implements SourceConnector {

    @Override
    public String type() {
        return "http";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return HttpConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return ((HttpSpec) spec).incremental() != null;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        session.execute("CREATE OR REPLACE TABLE " + relation + " (" + String.join(", ",
                HttpStaging.definitions((HttpSpec) source.spec())) + ")");
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        HttpSpec spec = (HttpSpec) source.spec();
        if (spec.incremental() == null) {
            return WholeRead.load(source, rules, context, session -> fetch(session, source, spec, null));
        }
        String since = context.catalog().state().watermark(source.qualifiedName()).map(mark -> sent(spec, mark))
                .orElse(null);
        // A checkpoint without the rows it stands for (a warehouse rebuilt by hand) asks for everything again.
        return TrackedRows.load(source, rules, context, tracking(spec),
                session -> fetch(session, source, spec, Tracked.exists(session, source) ? since : null));
    }

    /** Plan asks nothing of the API (a read may cost money and rate limit): it says what the load will ask for. */
    @Override
    public SourceChange detect(Source source, Detector context) {
        HttpSpec spec = (HttpSpec) source.spec();
        String mark = context.catalog() == null ? null
                : context.catalog().state().watermark(source.qualifiedName()).orElse(null);
        return new SourceChange(source.qualifiedName(), "cursor", mark == null
                ? "first load: every record of the API"
                : String.format(Locale.ROOT, "records with %s after %s (sent as %s=%s); the API is asked when it loads",
                        spec.incremental().cursorField(), mark, spec.incremental().param(), sent(spec, mark)));
    }

    @Override
    public SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        HttpSpec spec = (HttpSpec) source.spec();
        return new SourceInput(dataset(spec.url(), context.project()::redact), List.of(), null, null,
                spec.incremental() == null ? null : context.watermarkRange(source, afterRun, upToRun));
    }

    /**
     * The API's dataset in OpenLineage's naming: namespace {@code scheme://host:port} (the port always written), name
     * the path; no query, no user, secrets in the path shown as their placeholders.
     */
    static URI dataset(URI url, java.util.function.UnaryOperator<String> redact) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : redact.apply(url.getPath());
        try {
            return new URI(scheme, url.getHost() + ":" + port, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a host, a port and a quoted path always make a URI", e);
        }
    }

    /**
     * The checkpoint as it is sent: the cursor column's value as the warehouse writes it, with a timestamp's space
     * written as ISO 8601's {@code T} (what APIs read).
     */
    private static String sent(HttpSpec spec, String mark) {
        String type = spec.columns().stream().filter(c -> c.name().equals(spec.incremental().cursorField()))
                .findFirst().orElseThrow().type().toUpperCase(Locale.ROOT);
        return type.startsWith("TIMESTAMP") || type.startsWith("DATETIME") ? mark.replaceFirst(" ", "T") : mark;
    }

    private static TrackedRows.Tracking tracking(HttpSpec spec) {
        return new TrackedRows.Tracking(TrackedRows.Detection.WATERMARK, spec.incremental().cursorField(), null,
                spec.incremental().key());
    }

    /** Reads every page into a temporary table of the session and names it; any failure is a SluiceException. */
    private static String fetch(Session session, Source source, HttpSpec spec, String since) {
        HttpStaging staging = new HttpStaging(spec, session);
        try {
            staging.create();
            new HttpPages(source.qualifiedName(), spec, since).read(staging::append);
            return staging.finish();
        } catch (SluiceException e) {
            staging.abandon();
            throw e;
        } catch (RuntimeException e) {
            staging.abandon();
            throw new SluiceException(ErrorCode.RUN_FAILED, "reading %s failed: %s", spec.url().getHost(),
                    String.valueOf(e));
        }
    }
}
