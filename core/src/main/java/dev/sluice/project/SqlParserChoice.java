package dev.sluice.project;

/** Which parser reads a model: Calcite (full validation and lineage) or DuckDB (dependencies only, opaque lineage). */
public enum SqlParserChoice { CALCITE, DUCKDB }
