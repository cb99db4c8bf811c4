package io.postbus.router.core;

import java.util.Objects;

/**
 * Where one recipient goes: qmgr's (transport, nexthop) pair in our three delivery kinds. Recipients
 * with equal {@link #destination()} share a delivery job.
 *
 * @param nextHop Postfix next-hop syntax for SMTP and LMTP ({@code [host]:port} without MX lookup,
 *     {@code host[:port]} with); null for SMTP to the MX hosts of {@code domain}; the Maildir
 *     directory for MAILDIR
 * @param domain the recipient domain (the MX name when nextHop is null)
 */
public record DeliveryRoute(Transport transport, String nextHop, String domain) {
    public DeliveryRoute {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(domain, "domain");
        if (nextHop == null && transport != Transport.SMTP) {
            throw new IllegalArgumentException(transport + " needs a next hop");
        }
    }

    /** SMTP to the MX hosts of a domain. */
    public static DeliveryRoute mx(String domain) {
        return new DeliveryRoute(Transport.SMTP, null, domain);
    }

    /**
     * The destination name: the domain for MX delivery, the next hop for SMTP (as with relayhost
     * before), and the transport in front of it for LMTP and Maildir, so an LMTP server and an SMTP
     * relay on one host stay two destinations.
     */
    public String destination() {
        if (nextHop == null) {
            return domain;
        }
        switch (transport) {
            case LMTP:
                return "lmtp:" + nextHop;
            case MAILDIR:
                return "maildir:" + nextHop;
            default:
                return nextHop;
        }
    }
}
