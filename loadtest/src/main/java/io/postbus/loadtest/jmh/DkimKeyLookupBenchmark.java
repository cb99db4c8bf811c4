package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.KeyLookup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The key query that every verification in {@link DkimVerifyBenchmark} includes: a TXT answer from the
 * zone-file resolver, the tag list parsed and the public key decoded (RFC 6376 §3.6.1). A network
 * resolver adds its round trip on a cache miss; this is the floor.
 */
@State(Scope.Benchmark)
public class DkimKeyLookupBenchmark extends BenchmarkDefaults {
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
