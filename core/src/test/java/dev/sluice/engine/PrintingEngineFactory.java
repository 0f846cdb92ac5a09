package dev.sluice.engine;

import dev.sluice.engine.duckdb.DuckDbEngineFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A test-only engine, plugged in through {@code META-INF/services} of the test class path as {@code printing}: DuckDB
 * underneath, but like an engine whose SQL is not DuckDB's it asks for each model printed by Calcite (in PostgreSQL's
 * dialect, which DuckDB also runs), so that a pipeline shows the printed SQL gives the rows the model's own text does.
 */
public final class PrintingEngineFactory implements EngineFactory {
    private final EngineFactory duckDb = new DuckDbEngineFactory();

    @Override
    public String name() {
        return "printing";
    }

    @Override
    public String readVariable(String variable) {
        return duckDb.readVariable(variable);
    }

    @Override
    public Dialect dialect() {
        return printing(duckDb.dialect());
    }

    @Override
    public Engine open(EngineOptions options) {
        Engine engine = duckDb.open(options);
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> method.getName().equals("dialect") ? printing(engine.dialect())
                        : call(engine, method, args));
    }

    private static Dialect printing(Dialect dialect) {
        return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class},
                (proxy, method, args) -> method.getName().equals("modelSql")
                        ? Dialect.ModelSql.unparsedPlan("POSTGRESQL") : call(dialect, method, args));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
