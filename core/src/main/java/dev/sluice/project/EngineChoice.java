package dev.sluice.project;

import java.util.Map;

/**
 * The engine the command line chooses over sluice.yml's {@code engine:} ({@code sluice run --engine spark --master
 * local[4]}): {@code type} replaces the engine's name when not null, and {@code settings} are laid over the engine's
 * settings ({@code master}, {@code conf.<key>}).
 */
public record EngineChoice(String type, Map<String, String> settings) {
    /** No choice: sluice.yml's engine as it is. */
    public static final EngineChoice NONE = new EngineChoice(null, Map.of());

    public EngineChoice {
        settings = Map.copyOf(settings);
    }
}
