package dev.sluice.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a JDBC interface out of a plain class holding only the methods the driver supports, so that the driver does
 * not write out the hundreds of methods of {@code ResultSet} or {@code DatabaseMetaData} by hand. A call is answered
 * by the target's public method of the same name and parameter types; a {@code getX(String label, ...)} the target lacks by
 * its {@code getX(int index, ...)} after {@code findColumn(label)}; a default method of the interface by itself;
 * {@code unwrap}/{@code isWrapperFor} by the proxy; anything else throws {@link SQLFeatureNotSupportedException}
 * naming the method. {@link JdbcProxyTest} checks that every method of each target matches its interface.
 */
final class JdbcProxy implements InvocationHandler {
    /** Per target class: interface method → target method, empty when the target has none. */
    private static final Map<Class<?>, Map<Method, Optional<Method>>> METHODS = new ConcurrentHashMap<>();

    private final Class<?> type;
    private final Object target;

    private JdbcProxy(Class<?> type, Object target) {
        this.type = type;
        this.target = target;
    }

    /** {@code target} seen as {@code type}. */
    static <T> T of(Class<T> type, Object target) {
        return type.cast(Proxy.newProxyInstance(JdbcProxy.class.getClassLoader(), new Class<?>[] {type},
                new JdbcProxy(type, target)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object[] arguments = args == null ? new Object[0] : args;
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> target.toString();
            };
        }
        Optional<Method> implementation = METHODS.computeIfAbsent(target.getClass(), key -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, this::implementation);
        if (implementation.isPresent()) {
            return call(implementation.get(), arguments);
        }
        if (method.getName().equals("unwrap") && arguments.length == 1) {
            Class<?> wanted = (Class<?>) arguments[0];
            if (wanted.isInstance(proxy)) {
                return proxy;
            }
            throw new SQLException("Cannot unwrap " + type.getSimpleName() + " as " + wanted.getName()
                    + ": the Sluice driver's objects are only the JDBC interfaces");
        }
        if (method.getName().equals("isWrapperFor") && arguments.length == 1) {
            return ((Class<?>) arguments[0]).isInstance(proxy);
        }
        Optional<Method> byIndex = byLabel(method);
        if (byIndex.isPresent()) {
            Object[] indexed = arguments.clone();
            indexed[0] = call(find("findColumn", new Class<?>[] {String.class}).orElseThrow(),
                    new Object[] {arguments[0]});
            return call(byIndex.get(), indexed);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, arguments);
        }
        throw new SQLFeatureNotSupportedException("Cannot call " + type.getSimpleName() + "." + method.getName()
                + Arrays.toString(method.getParameterTypes()).replace('[', '(').replace(']', ')')
                .replace("class ", "").replace("java.lang.", "") + ": the Sluice driver does not support it "
                + "(it reads published models and the catalog, and runs pipelines with CALL sluice_run)");
    }

    private Object call(Method implementation, Object[] arguments) throws Throwable {
        try {
            return implementation.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Optional<Method> implementation(Method method) {
        return find(method.getName(), method.getParameterTypes());
    }

    /** For {@code getX(String label, ...)}: the target's {@code getX(int index, ...)}, when it has findColumn. */
    private Optional<Method> byLabel(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length == 0 || parameters[0] != String.class || !method.getName().startsWith("get")
                || find("findColumn", new Class<?>[] {String.class}).isEmpty()) {
            return Optional.empty();
        }
        Class<?>[] indexed = parameters.clone();
        indexed[0] = int.class;
        return find(method.getName(), indexed);
    }

    private Optional<Method> find(String name, Class<?>[] parameters) {
        for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
            try {
                Method found = c.getDeclaredMethod(name, parameters);
                if (Modifier.isPublic(found.getModifiers()) && !Modifier.isStatic(found.getModifiers())) {
                    found.setAccessible(true);
                    return Optional.of(found);
                }
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return Optional.empty();
    }
}
