package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.BodyHash;
import io.postbus.auth.dkim.Canonicalization;
import io.postbus.auth.message.RawMessage;
import io.postbus.loadtest.auth.SampleMail;
import java.util.OptionalLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline under signing and verifying: splitting the message into header fields and body, and
 * the relaxed body hash (RFC 6376 §3.4.4, §3.7) that both must compute. What a signature costs beyond
 * {@link #parseAndBodyHash()} is the header hash and the public-key operation.
 */
@State(Scope.Benchmark)
public class MessageParseBenchmark extends BenchmarkDefaults {
    @Param({"5120", "102400"})
    public int bodySize;

    private byte[] message;

    @Setup
    public void setUp() {
        message = new SampleMail("alice@example.com", "bob@postbus.test", bodySize).message(1);
    }

    @Benchmark
    public RawMessage parse() {
        return RawMessage.parse(message);
    }

    @Benchmark
    public BodyHash parseAndBodyHash() {
        return BodyHash.of(RawMessage.parse(message), Canonicalization.RELAXED, OptionalLong.empty());
    }
}
