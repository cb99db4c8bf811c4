package io.postbus.auth;

import io.postbus.schemas.AuthResults;
import io.postbus.schemas.Envelope;
import java.util.Objects;

/**
 * The seam the DKIM/SPF/DMARC/ARC core plugs into: verify inbound mail, sign originating mail.
 * Returns the verdicts, the message bytes to pass on (with our Authentication-Results header, or the
 * DKIM-signed bytes for originating mail) and what should happen to the message next.
 */
public interface MessageAuthenticator {

    /** Where the message goes after authentication. */
    enum Disposition {
        /** On to the spam-worker (mail.authenticated). */
        PASS_ON,
        /** To mail.quarantine, with the verdicts that put it there. */
        QUARANTINE,
        /** Dropped with a Discarded event: never bounced, since the sender is forged (no backscatter). */
        DISCARD
    }

    record Outcome(AuthResults results, byte[] message, Disposition disposition, String reason) {
        public Outcome {
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(disposition, "disposition");
            if (disposition != Disposition.PASS_ON && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a quarantined or discarded message needs a reason");
            }
        }

        public static Outcome passOn(AuthResults results, byte[] message) {
            return new Outcome(results, message, Disposition.PASS_ON, null);
        }
    }

    Outcome authenticate(Envelope envelope, byte[] message);

    /** Records no verdicts and passes the bytes unchanged (tests of other stages, replay tools). */
    static MessageAuthenticator none(String authservId) {
        return (envelope, message) -> Outcome.passOn(AuthResults.newBuilder().setAuthservId(authservId).build(), message);
    }
}
