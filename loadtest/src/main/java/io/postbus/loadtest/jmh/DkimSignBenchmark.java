package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.time.Clock;
import java.util.List;
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
 * DKIM signatures per second on one thread (so per core): parse the message, hash the relaxed body, hash
 * the relaxed signed headers, sign, as the auth-worker does for each originating message. Compare with
 * {@link MessageParseBenchmark} for the share that is not the private-key operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DkimSignBenchmark {
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
