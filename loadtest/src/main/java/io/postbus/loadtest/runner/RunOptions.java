package io.postbus.loadtest.runner;

import io.postbus.loadtest.generator.Generator;
import io.postbus.loadtest.generator.GeneratorOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * One load-test run, the same for every system under test.
 *
 * @param generator    what to send
 * @param dkim         sign with a generated RSA-2048 key and verify a sample at the sink
 * @param faults       the sink's configured 4xx/5xx share
 * @param drainTimeout after sending stops, the longest wait for the last accepted message to arrive
 * @param dkimSamples  at most this many delivered messages are DKIM-verified
 * @param client       which SMTP client the generator sends with
 * @param warmupMessages unmeasured messages each system carries first; 0 = a few per session ({@link LoadRun#warmupMessages})
 */
public record RunOptions(GeneratorOptions generator, boolean dkim, SinkFaults faults, Duration drainTimeout, int dkimSamples,
                         Generator.Client client, int warmupMessages) {

    /** The signing domain and the sender's local part. */
    public static final String DOMAIN = "news.loadtest.test";
    public static final String SELECTOR = "lt2048";
    public static final String SENDER = "newsletter@" + DOMAIN;

    public RunOptions {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(client, "client");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
        }
        if (dkimSamples < 0) {
            throw new IllegalArgumentException("dkimSamples must be >= 0: " + dkimSamples);
        }
        if (warmupMessages < 0 || warmupMessages > 1_000_000) {
            throw new IllegalArgumentException("warmupMessages must be within 0..1,000,000: " + warmupMessages);
        }
    }

    /** With the default warm-up. */
    public RunOptions(GeneratorOptions generator, boolean dkim, SinkFaults faults, Duration drainTimeout, int dkimSamples,
                      Generator.Client client) {
        this(generator, dkim, faults, drainTimeout, dkimSamples, client, 0);
    }
}
