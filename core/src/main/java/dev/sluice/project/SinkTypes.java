package dev.sluice.project;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The sink types installed: every {@link SinkType} the class path registers, by its {@code type:} word. */
final class SinkTypes {
    private static volatile Map<String, SinkType> installed;

    private SinkTypes() {
    }

    private static Map<String, SinkType> installed() {
        Map<String, SinkType> types = installed;
        if (types == null) {
            types = new TreeMap<>();
            for (SinkType type : ServiceLoader.load(SinkType.class, SinkTypes.class.getClassLoader())) {
                SinkType other = types.put(type.type(), type);
                if (other != null) {
                    throw new SluiceException(ErrorCode.INTERNAL, "Cannot install sink type '%s': both %s and %s "
                            + "register it; remove one of them from META-INF/services/%s", type.type(),
                            other.getClass().getName(), type.getClass().getName(), SinkType.class.getName());
                }
            }
            types = Map.copyOf(types);
            installed = types;
        }
        return types;
    }

    static Optional<SinkType> of(String type) {
        return Optional.ofNullable(installed().get(type));
    }

    static String names() {
        return String.join(", ", new TreeMap<>(installed()).keySet());
    }

    static java.util.Set<String> types() {
        return installed().keySet();
    }
}
