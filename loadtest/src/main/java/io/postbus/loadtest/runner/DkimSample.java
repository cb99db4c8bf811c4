package io.postbus.loadtest.runner;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the bytes of every n-th arrival (up to a limit) and, after the run, verifies their DKIM
 * signatures with our own verifier against the published test key (RFC 6376 §6): the signing is
 * part of the work measured, and a load test must not reward a system that skipped it.
 */
final class DkimSample {
    private final int every;
    private final int limit;
    private final List<byte[]> kept = new ArrayList<>();
    private long seen;

    DkimSample(long expected, int limit) {
        this.limit = limit;
        this.every = (int) Math.max(1, expected / Math.max(1, limit));
    }

    synchronized void offer(byte[] message) {
        if (limit > 0 && seen++ % every == 0 && kept.size() < limit) {
            kept.add(message);
        }
    }

    synchronized int size() {
        return kept.size();
    }

    /** How many kept messages carry a passing signature whose d= is {@code key}'s domain. */
    synchronized int passing(DkimKey key) {
        DkimVerifier verifier = new DkimVerifier(ZoneFileResolver.fromDirectory(key.zoneDir()), Clock.systemUTC(),
                DkimVerifier.Settings.defaults());
        int pass = 0;
        for (byte[] m : kept) {
            List<DkimResult> results = verifier.verify(RawMessage.parse(m));
            if (results.stream().anyMatch(r -> r.verdict() == DkimVerdict.PASS
                    && key.domain().equals(String.valueOf(r.domain()).toLowerCase(Locale.ROOT)))) {
                pass++;
            }
        }
        return pass;
    }
}
