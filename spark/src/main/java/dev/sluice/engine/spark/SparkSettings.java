package dev.sluice.engine.spark;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where Spark runs and with what configuration: {@code master} as Spark takes it ({@code local[4]},
 * {@code spark://host:7077}) and {@code conf}, Spark properties passed to the session as they are
 * ({@code spark.executor.memory: 4g}).
 */
record SparkSettings(String master, Map<String, String> conf) {
    /** Spark's default when nothing says otherwise: every core of this machine. */
    static final String DEFAULT_MASTER = "local[*]";
    /** The system property naming the master (what {@code --master} and {@code engine: {master: …}} set). */
    static final String MASTER_PROPERTY = "sluice.spark.master";
    /** The prefix of system properties passed on as Spark properties ({@code -Dsluice.spark.conf.spark.x=y}). */
    static final String CONF_PREFIX = "sluice.spark.conf.";

    SparkSettings {
        Objects.requireNonNull(master, "master");
        conf = Map.copyOf(new TreeMap<>(conf));
    }

    /**
     * The settings of {@code engine:} in sluice.yml ({@code master}, {@code conf.<key>}, as the project reader
     * flattens them) over those the system properties give ({@value #MASTER_PROPERTY}, {@value #CONF_PREFIX}…).
     */
    static SparkSettings of(Map<String, String> settings) {
        Map<String, String> conf = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(CONF_PREFIX))
                .forEach(name -> conf.put(name.substring(CONF_PREFIX.length()), System.getProperty(name)));
        settings.forEach((key, value) -> {
            if (key.startsWith("conf.")) {
                conf.put(key.substring("conf.".length()), value);
            }
        });
        String master = settings.getOrDefault("master", System.getProperty(MASTER_PROPERTY, DEFAULT_MASTER));
        return new SparkSettings(master, conf);
    }
}
