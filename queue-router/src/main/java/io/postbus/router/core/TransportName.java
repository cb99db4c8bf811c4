package io.postbus.router.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The master.cf services a transport(5) entry or a {@code *_transport} parameter may name. Postfix
 * allows any service defined in master.cf; these are the ones Postbus has a delivery for.
 */
public enum TransportName {
    /** smtp(8) to the MX hosts of the next hop, or to {@code [host]:port} without MX lookup. */
    SMTP,
    /** The smtp(8) client under its relay_transport name: same delivery, its own queue in Postfix. */
    RELAY,
    /** lmtp(8) to a mailbox server such as Dovecot (RFC 2033). */
    LMTP,
    /** local(8): aliases(5), then the user's mailbox (Maildir under mail.spool.directory, or mailbox.transport). */
    LOCAL,
    /** virtual(8): the Maildir named by virtual_mailbox_maps, under virtual_mailbox_base. */
    VIRTUAL,
    /** error(8): bounce; the next hop is the reason, optionally starting with a 5.X.Y code. */
    ERROR,
    /** retry(8): defer; the next hop is the reason, optionally starting with a 4.X.Y code. */
    RETRY,
    /** discard(8): report as delivered and drop; the next hop is the reason. */
    DISCARD;

    /** The service name as written in main.cf and transport tables. */
    public String service() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport called {@code service} (master.cf names are case-sensitive, as in Postfix). */
    public static Optional<TransportName> of(String service) {
        for (TransportName t : values()) {
            if (t.service().equals(service)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Whether the next hop is a host to connect to (as opposed to a reason text or nothing). */
    public boolean connects() {
        return this == SMTP || this == RELAY || this == LMTP;
    }
}
