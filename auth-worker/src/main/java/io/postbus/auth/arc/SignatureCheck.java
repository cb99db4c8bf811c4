package io.postbus.auth.arc;

import java.util.Objects;

/**
 * The outcome of checking one ARC-Message-Signature or ARC-Seal. The status names are those RFC 8601
 * §2.7.1 gives DKIM-style signature checks, since RFC 8617 §5.2 validates both with DKIM's methods.
 *
 * @param status   what the check found
 * @param domain   d= as written (empty when the tag could not be read)
 * @param selector s= as written (empty when the tag could not be read)
 * @param reason   a short human explanation; empty for a pass
 */
public record SignatureCheck(Status status, String domain, String selector, String reason) {

    public enum Status {
        /** The signature (and for an AMS, the body hash) verified. */
        PASS,
        /** The cryptographic check failed: a changed header, body or seal. */
        FAIL,
        /** The signature or its key can never verify: broken tags, unsupported or weak algorithm, no key. */
        PERMERROR,
        /** The key could not be fetched now (DNS failure): asking again later may succeed. */
        TEMPERROR,
        /** The validation algorithm stopped before reaching this signature (RFC 8617 §5.2). */
        NOT_CHECKED
    }

    public SignatureCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(reason, "reason");
    }

    static SignatureCheck notChecked() {
        return new SignatureCheck(Status.NOT_CHECKED, "", "", "");
    }

    public boolean passed() {
        return status == Status.PASS;
    }
}
