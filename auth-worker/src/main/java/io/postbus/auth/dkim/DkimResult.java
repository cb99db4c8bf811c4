package io.postbus.auth.dkim;

import java.util.Objects;

/**
 * The outcome for one DKIM-Signature (or for an unsigned message: {@link DkimVerdict#NONE}), with what
 * an Authentication-Results header field (RFC 8601 §2.7.1) and DMARC alignment need. Fields that a broken
 * signature did not yield are empty strings.
 *
 * @param verdict   the RFC 8601 result
 * @param reason    why, in words (empty for pass and none); for the AR comment and logs
 * @param domain    d= (header.d)
 * @param selector  s= (header.s)
 * @param identity  i=, or "@" + d= when absent (header.i)
 * @param algorithm a= as written (header.a), also when it is one we refuse, like rsa-sha1
 * @param headerB   the leading characters of b= (header.b, RFC 6008): at least 8, more when needed to tell
 *                  this signature from the message's others
 * @param keyBits   size of the key that was used, 0 when no key was obtained
 * @param testing   the key record said t=y: the domain is testing DKIM (RFC 6376 §3.6.1), so a failure here
 *                  should be treated like no signature at all
 */
public record DkimResult(DkimVerdict verdict, String reason, String domain, String selector, String identity,
                         String algorithm, String headerB, int keyBits, boolean testing) {

    public DkimResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(headerB, "headerB");
        if (keyBits < 0) {
            throw new IllegalArgumentException("keyBits < 0");
        }
    }

    /** The result for a message without any DKIM-Signature. */
    public static DkimResult none() {
        return new DkimResult(DkimVerdict.NONE, "", "", "", "", "", "", 0, false);
    }

    public boolean passed() {
        return verdict == DkimVerdict.PASS;
    }

    DkimResult withHeaderB(String prefix) {
        return new DkimResult(verdict, reason, domain, selector, identity, algorithm, prefix, keyBits, testing);
    }
}
