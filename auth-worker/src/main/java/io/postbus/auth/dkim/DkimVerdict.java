package io.postbus.auth.dkim;

import java.util.Locale;

/**
 * The DKIM result values of RFC 8601 §2.7.1, as they appear after {@code dkim=} in
 * Authentication-Results. Which failure gets which value follows OpenDKIM (see {@link DkimVerifier}).
 */
public enum DkimVerdict {
    /** The message was not signed. */
    NONE,
    /** The signature verified. */
    PASS,
    /** The signature was evaluated and did not verify: body hash or header signature mismatch. */
    FAIL,
    /** The signature could not be processed for a reason no other value covers. */
    NEUTRAL,
    /** The signature verified or could have, but local policy does not accept it (key too small, over the cap). */
    POLICY,
    /** A DNS failure kept the key from being fetched: try again later. */
    TEMPERROR,
    /** The signature or its key is unusable and will stay so: syntax, no key, revoked key, expired. */
    PERMERROR;

    /** The token for Authentication-Results ({@code pass}, {@code permerror}, ...). */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
