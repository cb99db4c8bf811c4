package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * One DKIM signature's outcome as DMARC needs it (RFC 7489 §4.2): the signing domain {@code d=}
 * and the verification result. Filled by the auth worker from the DKIM verifier's output; this
 * package does not depend on the DKIM code.
 *
 * @param domain the signature's {@code d=} (normalised to lower-case A-labels when possible)
 * @param result the verification result, named as in the aggregate report's DKIMAuthResultType
 */
public record DkimCheck(String domain, Result result) {

    /** RFC 7489 Appendix C DKIMAuthResultType (the RFC 8601 dkim results). */
    public enum Result { NONE, PASS, FAIL, POLICY, NEUTRAL, TEMPERROR, PERMERROR }

    public DkimCheck {
        domain = InputDomains.normalize(Objects.requireNonNull(domain, "domain"));
        Objects.requireNonNull(result, "result");
    }

    public static DkimCheck pass(String domain) {
        return new DkimCheck(domain, Result.PASS);
    }

    public String token() {
        return result.name().toLowerCase(Locale.ROOT);
    }
}
