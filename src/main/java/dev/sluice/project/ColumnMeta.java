package dev.sluice.project;

/** What a model or source declares about one of its columns. */
public record ColumnMeta(String description, boolean pii) {
}
