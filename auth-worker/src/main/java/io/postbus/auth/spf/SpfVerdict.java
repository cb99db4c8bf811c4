package io.postbus.auth.spf;

import java.util.Objects;
import java.util.Optional;

/**
 * What one check_host() evaluation concluded, with what Authentication-Results (RFC 8601 §2.7.2)
 * and DMARC (RFC 7489 §4.2) need from it.
 *
 * @param result      the RFC 7208 §2.6 result
 * @param identity    which identity was checked
 * @param domain      the domain check_host() started from (lower case, no trailing dot); for a
 *                    malformed domain the text as given
 * @param mechanism   the directive of the top-level record (or of a record it redirected to) that
 *                    matched, as written, e.g. {@code "-all"} or {@code "include:_spf.example.net"};
 *                    empty when none matched or on an error
 * @param explanation only for {@link SpfResult#FAIL}: the publisher's exp= text (§6.2), or the
 *                    receiver's default; always US-ASCII
 * @param reason      only for TEMPERROR and PERMERROR: what went wrong, for logs and comments;
 *                    also set for NONE to say why there was nothing to check. Printable US-ASCII:
 *                    other characters quoted from DNS or the client appear as \\uXXXX
 */
public record SpfVerdict(SpfResult result, SpfIdentity identity, String domain, Optional<String> mechanism,
                         Optional<String> explanation, Optional<String> reason) {

    public SpfVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(reason, "reason");
        if (explanation.isPresent() != (result == SpfResult.FAIL)) {
            throw new IllegalArgumentException("an explanation comes with fail and only with fail, not " + result);
        }
        if (result.isError() && reason.isEmpty()) {
            throw new IllegalArgumentException(result + " needs a reason");
        }
        if ((result.isError() || result == SpfResult.NONE) && mechanism.isPresent()) {
            throw new IllegalArgumentException(result + " cannot come from a matching mechanism");
        }
        if (reason.isPresent() && !result.isError() && result != SpfResult.NONE) {
            throw new IllegalArgumentException("a reason is only given for none, temperror and permerror");
        }
    }
}
