package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * The SPF outcome as DMARC needs it (RFC 7489 §4.2): the domain SPF checked (the RFC5321.MailFrom
 * domain, or the HELO domain when MAIL FROM was null; RFC 7489 §3.1.2) and the result. Filled by
 * the auth worker from the SPF checker's output.
 *
 * @param domain the checked domain (normalised to lower-case A-labels when possible)
 * @param scope  which identity it was, as in the aggregate report's SPFDomainScope
 * @param result the SPF result (RFC 7208 §2.6), named as in SPFResultType
 */
public record SpfCheck(String domain, Scope scope, Result result) {

    /** RFC 7489 Appendix C SPFDomainScope. */
    public enum Scope { MFROM, HELO }

    /** RFC 7489 Appendix C SPFResultType. */
    public enum Result { NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR }

    public SpfCheck {
        domain = InputDomains.normalize(Objects.requireNonNull(domain, "domain"));
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(result, "result");
    }

    public static SpfCheck mailFrom(String domain, Result result) {
        return new SpfCheck(domain, Scope.MFROM, result);
    }

    public String token() {
        return result.name().toLowerCase(Locale.ROOT);
    }
}
