package io.postbus.auth;

import io.postbus.schemas.AuthResults;
import io.postbus.schemas.Envelope;

/**
 * The seam the DKIM/SPF/DMARC/ARC core plugs into: verify inbound mail, sign originating mail.
 * Returns the verdicts and the message bytes to pass on (the signed bytes for originating mail).
 */
public interface MessageAuthenticator {

    record Outcome(AuthResults results, byte[] message) {}

    Outcome authenticate(Envelope envelope, byte[] message);

    /** The walking skeleton's authenticator: records no verdicts and passes the bytes unchanged. */
    static MessageAuthenticator none(String authservId) {
        return (envelope, message) -> new Outcome(AuthResults.newBuilder().setAuthservId(authservId).build(), message);
    }
}
