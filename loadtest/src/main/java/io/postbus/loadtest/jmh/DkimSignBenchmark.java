package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.time.Clock;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DKIM signatures per second on one thread (so per core): parse the message, hash the relaxed body, hash
 * the relaxed signed headers, sign, as the auth-worker does for each originating message. Compare with
 * {@link MessageParseBenchmark} for the share that is not the private-key operation.
 */
@State(Scope.Benchmark)
public class DkimSignBenchmark extends BenchmarkDefaults {
    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    @Param({"5120", "102400"})
    public int bodySize;

    private DkimSigner signer;
    private byte[] message;

    @Setup
    public void setUp() {
        DkimFixture fixture = DkimFixture.create(algorithm, bodySize);
        signer = fixture.signer(Clock.systemUTC());
        message = fixture.message;
    }

    @Benchmark
    public List<HeaderField> sign() throws DkimSigner.UnsignableMessageException {
        return signer.sign(RawMessage.parse(message));
    }
}
