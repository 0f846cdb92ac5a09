package dev.sluice.project;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The source types installed: every {@link SourceType} the class path registers, by its {@code type:} word. */
public final class SourceTypes {
    /** Loaded on first use, so that a faulty registration is reported as such, not as a failed class load. */
    private static volatile Map<String, SourceType> installed;

    private SourceTypes() {
    }

    private static Map<String, SourceType> installed() {
        Map<String, SourceType> types = installed;
        if (types == null) {
            types = load();
            installed = types;
        }
        return types;
    }

    private static Map<String, SourceType> load() {
        Map<String, SourceType> types = new TreeMap<>();
        for (SourceType type : ServiceLoader.load(SourceType.class, SourceTypes.class.getClassLoader())) {
            SourceType other = types.put(type.type(), type);
            if (other != null) {
                throw new SluiceException(ErrorCode.INTERNAL, "Cannot install source type '%s': both %s and %s "
                        + "register it; remove one of them from META-INF/services/%s", type.type(),
                        other.getClass().getName(), type.getClass().getName(), SourceType.class.getName());
            }
        }
        return Map.copyOf(types);
    }

    /** The source type named {@code type}, if installed. */
    public static Optional<SourceType> of(String type) {
        return Optional.ofNullable(installed().get(type));
    }

    /** The words of every installed type, sorted. */
    public static SortedSet<String> types() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(installed().keySet()));
    }

    /** The words of every installed type, sorted, for messages. */
    public static String names() {
        return String.join(", ", types());
    }
}
