package io.postbus.auth.dkim;

import io.postbus.auth.message.RawMessage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;

/**
 * The body hash of RFC 6376 §3.7 (bh=), also used by the ARC-Message-Signature. SHA-256 only: RFC 8301
 * retired SHA-1 for signing and verifying.
 *
 * @param hash            SHA-256 over the canonical body, cut at the limit when one was given
 * @param canonicalLength length of the whole canonical body (a verifier compares it with l=, §3.5)
 */
public record BodyHash(byte[] hash, long canonicalLength) {

    public BodyHash {
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /**
     * @param limit the l= value: hash only this many canonical octets; empty for the whole body
     */
    public static BodyHash of(RawMessage message, Canonicalization canonicalization, OptionalLong limit) {
        MessageDigest digest = sha256();
        long max = limit.orElse(Long.MAX_VALUE);
        long[] total = {0};
        canonicalization.body(message.bytes(), message.bodyStart(), message.bytes().length, (b, off, len) -> {
            long room = max - total[0];
            if (room > 0) {
                digest.update(b, off, (int) Math.min(len, room));
            }
            total[0] += len;
        });
        return new BodyHash(digest.digest(), total[0]);
    }

    /** Never updated, only cloned: a provider lookup per message cost more than hashing a short input. */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose digest cannot be cloned
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
