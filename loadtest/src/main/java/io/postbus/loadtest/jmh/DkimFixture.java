package io.postbus.loadtest.jmh;

import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.loadtest.auth.BenchKey;
import io.postbus.loadtest.auth.SampleMail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What the DKIM benchmarks share: a fresh key of the algorithm under test, its zone, and a message of
 * the body size under test. Built once per trial, outside the measurement.
 */
final class DkimFixture {
    static final String DOMAIN = "example.com";
    static final String SELECTOR = "bench";

    final BenchKey key;
    final ZoneFileResolver dns;
    final byte[] message;

    private DkimFixture(BenchKey key, ZoneFileResolver dns, byte[] message) {
        this.key = key;
        this.dns = dns;
        this.message = message;
    }

    /**
     * @param algorithm the a= value: {@code rsa-sha256} (RSA-2048) or {@code ed25519-sha256}
     * @param bodySize  body bytes of the message
     */
    static DkimFixture create(String algorithm, int bodySize) {
        KeyType type = SigningAlgorithm.fromTag(algorithm)
                .orElseThrow(() -> new IllegalArgumentException("unknown algorithm " + algorithm)).keyType();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("postbus-jmh-");
            BenchKey key = BenchKey.generate(type, DOMAIN, SELECTOR, dir);
            ZoneFileResolver dns = ZoneFileResolver.fromString(".", "$ORIGIN " + DOMAIN + ".\n" + key.zoneText());
            byte[] message = new SampleMail("alice@" + DOMAIN, "bob@postbus.test", bodySize).message(1);
            return new DkimFixture(key, dns, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    DkimSigner signer(Clock clock) {
        return new DkimSigner(List.of(key.signing()), DkimSigner.Settings.defaults(), clock);
    }

    /** The message signed once, as a verifier receives it. */
    byte[] signedMessage(Clock clock) {
        try {
            return DkimSigner.prepend(signer(clock).sign(RawMessage.parse(message)), message);
        } catch (DkimSigner.UnsignableMessageException e) {
            throw new IllegalStateException("the sample message has a From field", e);
        }
    }

    /** A benchmark of a verification that fails would measure the wrong path: refuse to run it. */
    static void requirePass(DkimVerifier verifier, byte[] signed) {
        var results = verifier.verify(RawMessage.parse(signed));
        if (results.size() != 1 || results.get(0).verdict() != DkimVerdict.PASS) {
            throw new IllegalStateException("the fixture does not verify: " + results);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover temporary key of a benchmark is harmless; the trial must not fail for it.
        }
    }
}
