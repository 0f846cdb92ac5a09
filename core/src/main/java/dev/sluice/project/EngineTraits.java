package dev.sluice.project;

import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * What reading a project needs to know of an engine: the name it answers to in {@code engine:} of sluice.yml, and
 * how its SQL reads a session variable (the window bounds and secret vars a model reads). Every engine factory is one
 * (the engine package's {@code EngineFactory} extends it) and is listed under this interface in
 * {@code META-INF/services} too, so that a project is read, and an unknown engine refused with the known ones listed,
 * without depending on any engine.
 */
public interface EngineTraits {

    /** The engine every project uses unless its sluice.yml says otherwise. */
    String DEFAULT = "duckdb";

    /** The name, lower case, as written in {@code engine:}. */
    String name();

    /** A SQL expression reading the session variable {@code variable} (set by the engine before the SQL runs). */
    String readVariable(String variable);

    /**
     * The settings {@code engine:} may give this engine besides {@code type} (a mapping setting's keys are read as
     * {@code name.key}, e.g. {@code conf.spark.executor.memory}); none unless the engine says.
     */
    default Set<String> settings() {
        return Set.of();
    }

    /**
     * True when the warehouse can hold Sluice's catalog (schema {@code sluice}, written in transactions across
     * statements); an engine without such transactions (Spark) gets by default a catalog in a DuckDB file of its own.
     */
    default boolean keepsCatalog() {
        return true;
    }

    /** The engine of that name on the class path, if any. */
    static Optional<EngineTraits> named(String name) {
        for (EngineTraits engine : ServiceLoader.load(EngineTraits.class, EngineTraits.class.getClassLoader())) {
            if (engine.name().equals(name)) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }

    /** The names of the engines on the class path, sorted. */
    static Set<String> known() {
        Set<String> names = new TreeSet<>();
        for (EngineTraits engine : ServiceLoader.load(EngineTraits.class, EngineTraits.class.getClassLoader())) {
            names.add(engine.name());
        }
        return names;
    }
}
