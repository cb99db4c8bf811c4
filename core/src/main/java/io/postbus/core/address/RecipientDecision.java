package io.postbus.core.address;

import java.util.Objects;

/**
 * What RCPT TO gets for one recipient.
 *
 * @param recipient the address as classified (unqualified input completed with @myorigin)
 * @param addressClass the class of the recipient domain; DEFAULT for relay decisions about foreign domains
 */
public record RecipientDecision(Verdict verdict, AddressClass addressClass, MailAddress recipient, SmtpReply reply) {

    public enum Verdict {
        /** 250 2.1.5: the recipient is valid for this client. */
        ACCEPT,
        /** 550 5.1.1: smtpd_reject_unlisted_recipient — not in its class's recipient table. */
        UNKNOWN_USER,
        /** 554 5.7.1: reject_unauth_destination — not our domain, and the client may not relay. */
        RELAY_DENIED
    }

    public RecipientDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(addressClass, "addressClass");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reply, "reply");
        if ((verdict == Verdict.ACCEPT) != reply.isPositive()) {
            throw new IllegalArgumentException(verdict + " with reply " + reply);
        }
    }

    public boolean accepted() {
        return verdict == Verdict.ACCEPT;
    }
}
