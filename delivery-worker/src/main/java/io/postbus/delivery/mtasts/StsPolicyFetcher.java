package io.postbus.delivery.mtasts;

import java.util.Objects;

/**
 * Gets {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3). Implementations
 * validate the certificate for {@code mta-sts.<domain>}, follow no redirect, accept only a 200, and
 * never throw for a failed fetch: they return {@link Result.Failed}.
 */
public interface StsPolicyFetcher {

    /** @param domain the policy domain (the recipient domain), lower case */
    Result fetch(String domain);

    sealed interface Result {
        /** The response body of a 200 with media type text/plain. */
        record Body(String text) implements Result {
            public Body {
                Objects.requireNonNull(text, "text");
            }
        }

        /** No policy body: DNS, TCP, TLS, HTTP status, media type, size or timeout. */
        record Failed(String reason) implements Result {
            public Failed {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
