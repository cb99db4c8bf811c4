package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.KeyLookup;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The key query that every verification in {@link DkimVerifyBenchmark} includes: a TXT answer from the
 * zone-file resolver, the tag list parsed and the public key decoded (RFC 6376 §3.6.1). A network
 * resolver adds its round trip on a cache miss; this is the floor.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DkimKeyLookupBenchmark {
    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    private KeyLookup keys;

    @Setup
    public void setUp() {
        keys = new KeyLookup(DkimFixture.create(algorithm, 0).dns);
        if (!(keys.lookup(DkimFixture.SELECTOR, DkimFixture.DOMAIN) instanceof KeyLookup.Outcome.Found)) {
            throw new IllegalStateException("the fixture's key is not found in its zone");
        }
    }

    @Benchmark
    public KeyLookup.Outcome keyLookup() {
        return keys.lookup(DkimFixture.SELECTOR, DkimFixture.DOMAIN);
    }
}
