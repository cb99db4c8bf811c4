package io.postbus.auth.arc;

import io.postbus.auth.arc.SignatureCheck.Status;
import io.postbus.auth.dkim.BodyHash;
import io.postbus.auth.dkim.Canonicalization;
import io.postbus.auth.dkim.DkimKeys;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.dkim.KeyRecord;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SignedHeaders;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checks single ARC-Message-Signatures and ARC-Seals with the DKIM primitives (RFC 8617 §5.2 says to
 * use the methods of RFC 6376 §5 and §6). One instance serves one validation of one message: it
 * remembers the key records it fetched and the body hashes it computed, because a chain usually names
 * the same few keys, and the same canonicalization, many times.
 */
final class ArcSignatureVerifier {
    private final KeyLookup keys;
    private final Clock clock;
    private final ArcSettings settings;
    private final Map<String, KeyLookup.Outcome> fetched = new HashMap<>();
    /** Every AMS hashes the same body; most with the same canonicalization, so hash it once per kind. */
    private final Map<String, BodyHash> bodyHashes = new HashMap<>();

    ArcSignatureVerifier(KeyLookup keys, Clock clock, ArcSettings settings) {
        this.keys = keys;
        this.clock = clock;
        this.settings = settings;
    }

    /** An AMS: like a DKIM-Signature without v= and with i= as instance (RFC 8617 §4.1.2). */
    SignatureCheck messageSignature(RawMessage message, ArcSet set) {
        TagList tags = set.signatureTags();
        String domain = tags.get("d").orElse("");
        String selector = tags.get("s").orElse("");
        try {
            CommonSignatureTags common = CommonSignatureTags.read(tags, clock.instant());
            Canonicalization[] c = canonicalization(tags.get("c").orElse("simple/simple"));
            List<String> names = headerNames(CommonSignatureTags.required(tags, "h"));
            if (names.contains("arc-seal")) {
                // §4.1.2 keeps ARC fields out of h=; an AMS over the seal could never be re-created in order.
                throw new CommonSignatureTags.Invalid("h= covers ARC-Seal (RFC 8617 §4.1.2)");
            }
            byte[] claimedBodyHash = CommonSignatureTags.base64(CommonSignatureTags.required(tags, "bh"), "bh");
            OptionalLong limit = bodyLimit(tags);
            BodyHash body = bodyHashes.computeIfAbsent(c[1] + "/" + limit,
                    k -> BodyHash.of(message, c[1], limit));
            if (limit.isPresent() && limit.getAsLong() > body.canonicalLength()) {
                return check(Status.FAIL, domain, selector, "l= is longer than the body");
            }
            if (!MessageDigest.isEqual(body.hash(), claimedBodyHash)) {
                return check(Status.FAIL, domain, selector, "body hash mismatch");
            }
            HeaderField field = set.messageSignature();
            List<HeaderField> selected = SignedHeaders.select(message.headers(), names, field);
            return verify(common, SignedHeaders.hashInput(c[0], selected, field));
        } catch (CommonSignatureTags.Invalid e) {
            return check(Status.PERMERROR, domain, selector, e.getMessage());
        }
    }

    /**
     * The AS of {@code sets.get(index)}: relaxed canonicalization over every ARC field of the sets up to and
     * including its own, in instance order AAR, AMS, AS, its own b= blanked (RFC 8617 §5.1.1). The
     * validator has already refused seals with h= (§4.1.3) as a structural fault.
     */
    SignatureCheck seal(List<ArcSet> sets, int index) {
        ArcSet set = sets.get(index);
        TagList tags = set.sealTags();
        String domain = tags.get("d").orElse("");
        String selector = tags.get("s").orElse("");
        try {
            CommonSignatureTags common = CommonSignatureTags.read(tags, clock.instant());
            List<HeaderField> covered = new ArrayList<>(3 * index + 2);
            for (int k = 0; k < index; k++) {
                covered.addAll(sets.get(k).fieldsInSealOrder());
            }
            covered.add(set.authenticationResults());
            covered.add(set.messageSignature());
            return verify(common, SignedHeaders.hashInput(Canonicalization.RELAXED, covered, set.seal()));
        } catch (CommonSignatureTags.Invalid e) {
            return check(Status.PERMERROR, domain, selector, e.getMessage());
        }
    }

    private SignatureCheck verify(CommonSignatureTags tags, byte[] hashInput) {
        KeyLookup.Outcome outcome = fetched.computeIfAbsent(
                (tags.selector() + "._domainkey." + tags.domain()).toLowerCase(Locale.ROOT),
                name -> keys.lookup(tags.selector(), tags.domain()));
        String d = tags.domain();
        String s = tags.selector();
        if (outcome instanceof KeyLookup.Outcome.TemporaryFailure t) {
            return check(Status.TEMPERROR, d, s, t.reason());
        }
        if (outcome instanceof KeyLookup.Outcome.Missing m) {
            return check(Status.PERMERROR, d, s, "no key record at " + m.name());
        }
        if (outcome instanceof KeyLookup.Outcome.Invalid i) {
            return check(Status.PERMERROR, d, s, "unusable key record at " + i.name() + ": " + i.reason());
        }
        KeyRecord key = ((KeyLookup.Outcome.Found) outcome).key();
        String keyProblem = keyProblem(key, tags.algorithm());
        if (keyProblem != null) {
            return check(Status.PERMERROR, d, s, keyProblem);
        }
        try {
            boolean valid = tags.algorithm().verify(key.publicKey().orElseThrow(), hashInput, tags.signature());
            return valid ? check(Status.PASS, d, s, "") : check(Status.FAIL, d, s, "signature does not verify");
        } catch (InvalidKeyException e) {
            return check(Status.PERMERROR, d, s, "key does not fit " + tags.algorithm().tagValue());
        }
    }

    /** RFC 6376 §6.1.2 checks on the key record, RFC 8301 §3.2 on its size. Null when the key is usable. */
    private String keyProblem(KeyRecord key, SigningAlgorithm algorithm) {
        if (key.revoked()) {
            return "key revoked (empty p=)";
        }
        if (key.keyType() != algorithm.keyType()) {
            return "key type k=" + key.keyType().tagValue() + " does not match a=" + algorithm.tagValue();
        }
        if (!key.allowsSha256()) {
            return "key record h= does not allow sha256";
        }
        if (!key.allowsEmail()) {
            return "key record s= does not allow email";
        }
        PublicKey publicKey = key.publicKey().orElseThrow();
        int bits = DkimKeys.rsaBits(publicKey);
        if (algorithm.keyType() == KeyType.RSA && bits < settings.minimumRsaBits()) {
            return "RSA key of " + bits + " bits is below " + settings.minimumRsaBits() + " (RFC 8301 §3.2)";
        }
        return null;
    }

    /** c= is header[/body], each simple or relaxed; absent means simple/simple (RFC 6376 §3.5). */
    private static Canonicalization[] canonicalization(String value) throws CommonSignatureTags.Invalid {
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            throw new CommonSignatureTags.Invalid("c= is not header/body: " + CommonSignatureTags.shortened(value));
        }
        Canonicalization header = Canonicalization.fromTag(parts[0])
                .orElseThrow(() -> new CommonSignatureTags.Invalid("unknown canonicalization c=" + CommonSignatureTags.shortened(value)));
        Canonicalization body = parts.length == 1 ? Canonicalization.SIMPLE : Canonicalization.fromTag(parts[1])
                .orElseThrow(() -> new CommonSignatureTags.Invalid("unknown canonicalization c=" + CommonSignatureTags.shortened(value)));
        return new Canonicalization[] {header, body};
    }

    /** h= names, lower-cased, FWS around the colons ignored; an empty h= names nothing. */
    private static List<String> headerNames(String h) {
        List<String> names = new ArrayList<>();
        for (String part : h.split(":", -1)) {
            String name = TagList.withoutWhitespace(part).toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static OptionalLong bodyLimit(TagList tags) throws CommonSignatureTags.Invalid {
        if (!tags.has("l")) {
            return OptionalLong.empty();
        }
        String l = tags.get("l").orElseThrow();
        if (l.isEmpty() || l.length() > 76 || !l.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new CommonSignatureTags.Invalid("l= is not a length");
        }
        try {
            return OptionalLong.of(Long.parseLong(l));
        } catch (NumberFormatException e) {
            return OptionalLong.of(Long.MAX_VALUE); // longer than any body: fails as "l= too long"
        }
    }

    private static SignatureCheck check(Status status, String domain, String selector, String reason) {
        return new SignatureCheck(status, domain, selector, reason);
    }
}
