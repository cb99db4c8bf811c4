package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.message.RawMessage;
import java.time.Clock;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DKIM verifications per second on one thread (so per core): parse, key query against a zone-file
 * resolver (no network, no cache: the record is parsed and the public key decoded every time, as on a
 * resolver cache hit), body hash, header hash, signature check. {@link DkimKeyLookupBenchmark} shows what
 * the key query alone costs.
 */
@State(Scope.Benchmark)
public class DkimVerifyBenchmark extends BenchmarkDefaults {
    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    @Param({"5120", "102400"})
    public int bodySize;

    private DkimVerifier verifier;
    private byte[] signed;

    @Setup
    public void setUp() {
        DkimFixture fixture = DkimFixture.create(algorithm, bodySize);
        Clock clock = Clock.systemUTC();
        verifier = new DkimVerifier(new KeyLookup(fixture.dns), clock, DkimVerifier.Settings.defaults());
        signed = fixture.signedMessage(clock);
        DkimFixture.requirePass(verifier, signed);
    }

    @Benchmark
    public List<DkimResult> verify() {
        return verifier.verify(RawMessage.parse(signed));
    }
}
