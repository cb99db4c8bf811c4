package io.postbus.loadtest.jmh;

import io.postbus.core.table.TableSnapshot;
import io.postbus.core.table.TableSource;
import io.postbus.loadtest.route.RoutingFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a table reload costs: reading and parsing a postmap source file of {@code entries} lines (the
 * virtual table of {@link RoutingFixture}, about 65 bytes a line) into a lookup table, once per
 * measurement, as the router does when the file changes. Milliseconds per load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class PostmapLoadBenchmark extends BenchmarkDefaults {
    @Param({"100000"})
    public int entries;

    private Path dir;
    private TableSource source;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("postbus-jmh-postmap-");
        source = TableSource.postmap(RoutingFixture.writeVirtualPostmap(dir.resolve("virtual"), entries));
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(source.path());
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public TableSnapshot load() {
        return source.load();
    }
}
