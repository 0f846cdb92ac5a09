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
    private static final Map<String, SourceType> INSTALLED = load();

    private SourceTypes() {
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
        return Optional.ofNullable(INSTALLED.get(type));
    }

    /** The words of every installed type, sorted. */
    public static SortedSet<String> types() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(INSTALLED.keySet()));
    }

    /** The words of every installed type, sorted, for messages. */
    public static String names() {
        return String.join(", ", types());
    }
}
