package dev.sluice.project;

/**
 * The configuration readers of the source types Sluice ships ({@code files}, {@code table}, {@code synthetic}),
 * which their connectors call: their settings are records of {@link SourceSpec} that the project's own tests and
 * tools build too.
 */
public final class BuiltInSourceConfigs {
    private BuiltInSourceConfigs() {
    }

    public static SourceSpec.Files files(SourceConfig config) {
        return config.parser().files(config.body(), config.what(), config.location());
    }

    public static SourceSpec.Table table(SourceConfig config) {
        return config.parser().table(config.body(), config.what(), config.location());
    }

    public static SourceSpec.Synthetic synthetic(SourceConfig config) {
        return config.parser().synthetic(config.body(), config.what(), config.location());
    }
}
