package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Planned models kept between plans (in the catalog's {@code plan_cache}), as the planner reads them: a model whose
 * keys still match is taken as planned instead of parsed, validated and cross-checked again. Rows written by another
 * Sluice version, or whose payload does not match its hash or cannot be read, are ignored, never trusted. Immutable.
 */
public final class PlanCache {
    /** Bumped when the payload's shape or the keys' recipe change, so that older rows are never read as current. */
    static final String FORMAT = "plan-cache-4";

    private final String sluiceVersion;
    private final Map<String, CachedModel> models;
    private final int ignored;

    /**
     * A row of the cache as the catalog keeps it.
     *
     * @param model the model's name, lower case
     * @param payloadHash {@code crc32c:} and the CRC-32C (hex) of {@code payload}'s bytes, checked before the payload
     *     is read: it finds a damaged row; the keys, not this, decide whether a plan is current
     */
    public record Entry(String model, String sluiceVersion, String textKey, String planKey, String payload,
            String payloadHash) {
        public Entry {
            requireNonNull(model, "model");
            requireNonNull(sluiceVersion, "sluiceVersion");
            requireNonNull(textKey, "textKey");
            requireNonNull(planKey, "planKey");
            requireNonNull(payload, "payload");
            requireNonNull(payloadHash, "payloadHash");
        }
    }

    private PlanCache(String sluiceVersion, Map<String, CachedModel> models, int ignored) {
        this.sluiceVersion = requireNonNull(sluiceVersion, "sluiceVersion");
        this.models = Collections.unmodifiableMap(models);
        this.ignored = ignored;
    }

    /** A cache holding nothing: every model is planned. */
    public static PlanCache empty(String sluiceVersion) {
        return new PlanCache(sluiceVersion, Map.of(), 0);
    }

    /** The rows usable by this Sluice version; the others (older versions, damaged rows) are counted and left out. */
    public static PlanCache of(String sluiceVersion, List<Entry> entries) {
        Map<String, CachedModel> models = new LinkedHashMap<>();
        int ignored = 0;
        for (Entry entry : entries) {
            CachedModel model = read(sluiceVersion, entry);
            if (model == null) {
                ignored++;
            } else {
                models.put(entry.model().toLowerCase(Locale.ROOT), model);
            }
        }
        return new PlanCache(sluiceVersion, models, ignored);
    }

    private static CachedModel read(String sluiceVersion, Entry entry) {
        if (!entry.sluiceVersion().equals(sluiceVersion)) {
            return null;
        }
        // Base64 is ASCII: its Latin-1 bytes are its bytes (any other character becomes '?', which Base64 never holds)
        byte[] payload = entry.payload().getBytes(StandardCharsets.ISO_8859_1);
        if (!checksum(payload).equals(entry.payloadHash())) {
            return null;
        }
        try {
            CachedModel model = CachedModelCodec.decode(payload);
            // The keys are stored beside the payload too: a row whose columns and payload disagree is damaged.
            return model.textKey().equals(entry.textKey()) && model.planKey().equals(entry.planKey()) ? model : null;
        } catch (RuntimeException e) {
            // a payload of another format, or damaged so that its hash still matches: planned again
            return null;
        }
    }

    /** The Sluice version whose rows this cache reads and writes. */
    public String sluiceVersion() {
        return sluiceVersion;
    }

    /** How many rows were left out (written by another version, or damaged). */
    public int ignored() {
        return ignored;
    }

    /** How many models the cache holds usable rows for. */
    public int size() {
        return models.size();
    }

    CachedModel get(String modelKey) {
        return models.get(modelKey);
    }

    /** The row to keep for a model planned now. */
    Entry entry(String modelKey, CachedModel model) {
        String payload = CachedModelCodec.encode(model);
        return new Entry(modelKey, sluiceVersion, model.textKey(), model.planKey(), payload,
                checksum(payload.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /**
     * The payload's check against damage: CRC-32C, which the JVM computes with the processor's instruction from its
     * first call, where SHA-256 of the 3.5 MB that 1,000 payloads hold was a tenth of a new process's plan (the keys,
     * which decide what is re-planned, stay SHA-256).
     */
    static String checksum(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length);
        return String.format(Locale.ROOT, "crc32c:%08x", crc.getValue());
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
