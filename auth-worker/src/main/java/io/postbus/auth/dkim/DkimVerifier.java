package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResolver;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 §6.1, RFC 8301, RFC 8463) and reports one
 * {@link DkimResult} per signature, top first; an unsigned message gets a single {@link DkimVerdict#NONE}.
 *
 * <p>RFC 6376 speaks of PERMFAIL and TEMPFAIL only; the RFC 8601 value each case gets follows OpenDKIM's
 * split (checked against {@code opendkim -t} on the Mail::DKIM corpus), whose Authentication-Results is what
 * most receivers and DMARC reporters see:
 * <ul>
 *   <li>{@code fail}: the signature was evaluated and did not verify: body hash mismatch
 *       or header signature mismatch (§6.1.3);</li>
 *   <li>{@code temperror}: the key query failed (§6.1.2 step 3);</li>
 *   <li>{@code policy}: an RSA key under the minimum (RFC 8301 §3.2; 1024 bits by default; OpenDKIM says
 *       "policy" too), and signatures beyond the per-message cap, which RFC 6376 §6.1 lets a verifier leave
 *       unevaluated as a DoS guard;</li>
 *   <li>{@code permerror}: everything that makes the signature unusable before any cryptography: syntax,
 *       missing tags, rsa-sha1 or unknown a=, i= outside d=, revoked key, key syntax, k=/h=/s= of the key not
 *       fitting the signature, t=s with an i= in a subdomain, an l= longer than the body, an expired x= and a
 *       t= in the future. For x= RFC 6376 §6.1.1 names it "PERMFAIL (signature expired)"; OpenDKIM files it
 *       as a signature error (permerror) and Stalwart as neutral, while dkimpy simply fails: we take the
 *       RFC's and OpenDKIM's reading, since the signature was never evaluated. An l= beyond the body is
 *       likewise OpenDKIM's "l= value exceeds body size" signature error (dkimpy: fail). One departure from
 *       OpenDKIM: no key at all (NXDOMAIN, no TXT) is permerror, as §6.1.2 step 4 "PERMFAIL (no key for
 *       signature)" and Stalwart have it, where OpenDKIM writes fail.</li>
 * </ul>
 * DMARC only asks whether a signature passed, so these choices change the AR text, not the verdicts built
 * on it. No method throws for anything a message or DNS can contain.
 */
public final class DkimVerifier {
    private static final String FIELD = "DKIM-Signature";
    /** RFC 6008 §4: header.b carries at least 8 characters of b=. */
    private static final int MIN_HEADER_B = 8;

    /**
     * @param minimumRsaBits   smaller RSA keys get {@code policy} (RFC 8301 §3.2 says 1024; lower only for old test data)
     * @param maxSignatures    signatures evaluated per message; later ones get {@code policy} without a DNS query
     * @param allowedClockSkew how far in the future t= may be before the signature is refused
     */
    public record Settings(int minimumRsaBits, int maxSignatures, Duration allowedClockSkew) {
        public Settings {
            if (minimumRsaBits < 0) {
                throw new IllegalArgumentException("minimumRsaBits < 0");
            }
            if (maxSignatures < 1) {
                throw new IllegalArgumentException("maxSignatures must be at least 1");
            }
            Objects.requireNonNull(allowedClockSkew, "allowedClockSkew");
            if (allowedClockSkew.isNegative()) {
                throw new IllegalArgumentException("allowedClockSkew < 0");
            }
        }

        /** 1024-bit RSA minimum (RFC 8301), 10 signatures, 5 minutes of skew (OpenDKIM's ClockDrift default). */
        public static Settings defaults() {
            return new Settings(1024, 10, Duration.ofMinutes(5));
        }
    }

    private final KeyLookup keys;
    private final Clock clock;
    private final Settings settings;

    public DkimVerifier(KeyLookup keys, Clock clock, Settings settings) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public DkimVerifier(DnsResolver dns, Clock clock, Settings settings) {
        this(new KeyLookup(dns), clock, settings);
    }

    /** One result per DKIM-Signature field, in message order; {@code [none]} when there is none. */
    public List<DkimResult> verify(RawMessage message) {
        List<HeaderField> fields = message.headers(FIELD);
        if (fields.isEmpty()) {
            return List.of(DkimResult.none());
        }
        Map<BodyKey, BodyHash> bodyHashes = new HashMap<>();
        List<DkimResult> results = new ArrayList<>(fields.size());
        List<String> fullB = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            HeaderField field = fields.get(i);
            SignatureSummary summary = SignatureSummary.of(field);
            fullB.add(summary.b());
            if (i >= settings.maxSignatures()) {
                results.add(summary.result(DkimVerdict.POLICY,
                        "not evaluated: more than " + settings.maxSignatures() + " signatures", 0, false));
                continue;
            }
            results.add(evaluate(message, field, summary, bodyHashes));
        }
        return withUniqueHeaderB(results, fullB);
    }

    private DkimResult evaluate(RawMessage message, HeaderField field, SignatureSummary summary,
                                Map<BodyKey, BodyHash> bodyHashes) {
        try {
            DkimSignature sig;
            try {
                sig = DkimSignature.parse(field);
            } catch (MalformedTagListException e) {
                return summary.result(DkimVerdict.PERMERROR, e.getMessage(), 0, false);
            }
            SignatureSummary parsed = new SignatureSummary(sig.domain(), sig.selector(), sig.identity(),
                    summary.algorithm(), summary.b());
            return evaluate(message, sig, parsed, bodyHashes);
        } catch (RuntimeException e) {
            // Not expected for any input (the fuzz test holds us to it), but one odd message must not
            // stop the worker: report it and carry on with the other signatures.
            return summary.result(DkimVerdict.PERMERROR, "internal error: " + e.getClass().getSimpleName(), 0, false);
        }
    }

    private DkimResult evaluate(RawMessage message, DkimSignature sig, SignatureSummary summary,
                                Map<BodyKey, BodyHash> bodyHashes) {
        Instant now = clock.instant();
        if (sig.expiration().isPresent() && now.isAfter(sig.expiration().get())) {
            return summary.result(DkimVerdict.PERMERROR, "signature expired", 0, false);
        }
        if (sig.timestamp().isPresent() && sig.timestamp().get().isAfter(now.plus(settings.allowedClockSkew()))) {
            return summary.result(DkimVerdict.PERMERROR, "signature timestamp in the future", 0, false);
        }
        KeyLookup.Outcome outcome = keys.lookup(sig.selector(), sig.domain());
        if (outcome instanceof KeyLookup.Outcome.TemporaryFailure f) {
            return summary.result(DkimVerdict.TEMPERROR, "key unavailable: " + f.reason(), 0, false);
        }
        if (outcome instanceof KeyLookup.Outcome.Missing) {
            return summary.result(DkimVerdict.PERMERROR, "no key for signature", 0, false);
        }
        if (outcome instanceof KeyLookup.Outcome.Invalid invalid) {
            return summary.result(DkimVerdict.PERMERROR, "key syntax error: " + invalid.reason(), 0, false);
        }
        KeyRecord key = ((KeyLookup.Outcome.Found) outcome).key();
        boolean testing = key.testing();
        String unusable = unusableKey(key, sig);
        if (unusable != null) {
            return summary.result(DkimVerdict.PERMERROR, unusable, 0, testing);
        }
        PublicKey publicKey = key.publicKey().orElseThrow();
        int bits = key.keyType() == KeyType.RSA ? DkimKeys.rsaBits(publicKey) : 256;
        if (key.keyType() == KeyType.RSA && bits < settings.minimumRsaBits()) {
            return summary.result(DkimVerdict.POLICY, "key too small (" + bits + " bits)", bits, testing);
        }
        BodyHash body = bodyHashes.computeIfAbsent(new BodyKey(sig.bodyCanonicalization(), sig.bodyLength()),
                k -> BodyHash.of(message, k.canonicalization(), k.limit()));
        if (sig.bodyLength().isPresent() && sig.bodyLength().getAsLong() > body.canonicalLength()) {
            return summary.result(DkimVerdict.PERMERROR, "l= exceeds body length", bits, testing);
        }
        if (!MessageDigest.isEqual(body.hash(), sig.bodyHash())) {
            return summary.result(DkimVerdict.FAIL, "body hash did not verify", bits, testing);
        }
        List<HeaderField> selected = SignedHeaders.select(message.headers(), sig.signedHeaders(), sig.field());
        byte[] input = SignedHeaders.hashInput(sig.headerCanonicalization(), selected, sig.field());
        try {
            if (sig.algorithm().verify(publicKey, input, sig.signature())) {
                return summary.result(DkimVerdict.PASS, "", bits, testing);
            }
            return summary.result(DkimVerdict.FAIL, "signature did not verify", bits, testing);
        } catch (InvalidKeyException e) {
            return summary.result(DkimVerdict.PERMERROR, "inappropriate key algorithm", bits, testing);
        }
    }

    /** The key-record checks of RFC 6376 §6.1.2 steps 5-8 and §3.6.1 (t=s); null when the key may be used. */
    private static String unusableKey(KeyRecord key, DkimSignature sig) {
        if (key.revoked()) {
            return "key revoked";
        }
        if (key.keyType() != sig.algorithm().keyType()) {
            return "inappropriate key algorithm (k=" + key.keyType().tagValue() + ", a=" + sig.algorithm().tagValue() + ")";
        }
        if (!key.allowsSha256()) {
            return "inappropriate hash algorithm (key h=" + String.join(":", key.hashAlgorithms()) + ")";
        }
        if (!key.allowsEmail()) {
            return "key not for e-mail (s=" + String.join(":", key.serviceTypes()) + ")";
        }
        if (key.strictIdentity() && !sig.identityDomain().toLowerCase(Locale.ROOT).equals(sig.domain().toLowerCase(Locale.ROOT))) {
            return "key forbids subdomains in i= (t=s)";
        }
        return null;
    }

    /** RFC 6008 §4: header.b must tell signatures apart, so lengthen prefixes that other signatures share. */
    private static List<DkimResult> withUniqueHeaderB(List<DkimResult> results, List<String> fullB) {
        List<DkimResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            String b = fullB.get(i);
            int length = Math.min(MIN_HEADER_B, b.length());
            for (int j = 0; j < fullB.size(); j++) {
                String other = fullB.get(j);
                if (j != i && !other.equals(b)) {
                    while (length < b.length() && other.startsWith(b.substring(0, length))) {
                        length++;
                    }
                }
            }
            out.add(results.get(i).withHeaderB(b.substring(0, length)));
        }
        return List.copyOf(out);
    }

    private record BodyKey(Canonicalization canonicalization, OptionalLong limit) {}
}
