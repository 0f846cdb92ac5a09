package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The targets {@link JdbcProxy} dispatches to are plain classes: nothing but this test checks that each of their
 * methods has the exact signature of a method of the JDBC interface it stands for (a typo would make the method
 * unreachable, and the call unsupported).
 */
class JdbcProxyTest {
    private static final Map<Class<?>, Class<?>> TARGETS = Map.of(
            ConnectionTarget.class, Connection.class,
            StatementTarget.class, CallableStatement.class,
            PreparedStatementTarget.class, CallableStatement.class,
            ResultSetTarget.class, ResultSet.class,
            ResultSetMetaDataTarget.class, ResultSetMetaData.class,
            MetadataTarget.class, DatabaseMetaData.class);

    @Test
    void everyNonPrivateInstanceMethodOfATargetImplementsItsInterface() {
        List<String> strays = new ArrayList<>();
        TARGETS.forEach((target, type) -> {
            for (Method method : target.getDeclaredMethods()) {
                int modifiers = method.getModifiers();
                if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isSynthetic()
                        || method.getName().equals("toString")) {
                    continue;
                }
                try {
                    Method declared = type.getMethod(method.getName(), method.getParameterTypes());
                    if (!declared.getReturnType().isAssignableFrom(method.getReturnType())) {
                        strays.add(target.getSimpleName() + "." + method.getName() + " returns "
                                + method.getReturnType().getSimpleName());
                    }
                } catch (NoSuchMethodException e) {
                    strays.add(target.getSimpleName() + "." + method.getName()
                            + Arrays.toString(method.getParameterTypes()));
                }
            }
        });
        assertThat(strays).isEmpty();
    }
}
