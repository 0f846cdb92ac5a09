package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.Lineage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One lineage query on the retail example's lineage, computed once: every step upstream of a mart column (through
 * ephemeral models, joins and aggregates to the sources), and every step downstream of a source column.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LineageMicro {
    Path dir;
    Lineage lineage;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sluice-micro-lineage");
        Timings.copyRecursively(Path.of("sql/examples/retail"), dir.resolve("retail"));
        lineage = Sluice.open(dir.resolve("retail")).lineage();
        if (upstream().isEmpty() || downstream().isEmpty()) {
            throw new IllegalStateException("the retail example should have lineage");
        }
    }

    @TearDown
    public void tearDown() {
        Timings.deleteRecursively(dir);
    }

    @Benchmark
    public List<Lineage.Edge> upstream() {
        return lineage.upstream("customer_lifetime_value.lifetime_value", 0);
    }

    @Benchmark
    public List<Lineage.Edge> downstream() {
        return lineage.downstream("raw.orders.order_date", 0);
    }
}
