package dev.sluice.project;

/**
 * What a model or source declares about one of its columns.
 *
 * @param mask how the column's values are shown to readers without the right to see them, or null for clear values
 * @param unmasked why a model shows the column in clear although it is computed from masked columns, or null
 */
public record ColumnMeta(String description, boolean pii, Mask mask, String unmasked) {
    public ColumnMeta(String description, boolean pii) {
        this(description, pii, null, null);
    }

    ColumnMeta withMask(Mask newMask) {
        return new ColumnMeta(description, pii, newMask, unmasked);
    }
}
