package dev.sluice.project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a masked column's values are shown to a reader without the right to see them ({@code mask:} on a column).
 * Every mask keeps NULL as NULL. The order of the constants is their strength: where a column is computed from
 * columns with different masks, the strongest one applies ({@link #strongest}).
 */
public enum Mask {
    /** The last 4 characters of the value's text kept, every other one replaced by {@code *}; 4 or fewer: all. */
    PARTIAL,
    /** The SHA-256 of the value's text (UTF-8) as 64 lower-case hex digits: equal values stay equal, joinable. */
    HASH,
    /** Every value replaced by {@code ****}. */
    REDACT,
    /** Every value replaced by NULL, keeping the column's type. */
    NULL;

    /** How many trailing characters {@link #PARTIAL} keeps. */
    public static final int PARTIAL_KEPT = 4;
    /** What {@link #REDACT} shows. */
    public static final String REDACTED = "****";

    /** The word written in {@code mask:}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mask named by {@code word} (any case), or null when it names none. */
    public static Mask of(String word) {
        for (Mask mask : values()) {
            if (mask.word().equalsIgnoreCase(word.strip())) {
                return mask;
            }
        }
        return null;
    }

    /** The stronger of two masks; null counts as no mask. */
    public static Mask strongest(Mask a, Mask b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The value as this mask shows it, computed in Java where values leave Sluice outside the engine; the same as the
     * engine's rendering of the mask for text values.
     */
    public Object apply(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return switch (this) {
            case PARTIAL -> partial(text);
            case HASH -> sha256(text);
            case REDACT -> REDACTED;
            case NULL -> null;
        };
    }

    private static String partial(String text) {
        int length = text.codePointCount(0, text.length());
        if (length <= PARTIAL_KEPT) {
            return "*".repeat(length);
        }
        int keepFrom = text.offsetByCodePoints(0, length - PARTIAL_KEPT);
        return "*".repeat(length - PARTIAL_KEPT) + text.substring(keepFrom);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
