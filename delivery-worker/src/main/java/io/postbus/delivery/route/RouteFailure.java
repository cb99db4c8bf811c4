package io.postbus.delivery.route;

import io.postbus.delivery.smtp.EnhancedStatusCode;

/**
 * Why no server could be found for a destination, with the SMTP reply code and RFC 3463 status
 * to report it with. Permanent failures bounce, transient ones defer.
 */
public enum RouteFailure {
    /** RFC 7505 null MX ("0 ."): the domain accepts no mail. §4.1 gives 556 5.1.10. */
    NULL_MX(556, EnhancedStatusCode.of("5.1.10"), false),
    /** NXDOMAIN for the destination: RFC 3463 5.1.2, bad destination system address. */
    NO_SUCH_DOMAIN(550, EnhancedStatusCode.of("5.1.2"), false),
    /**
     * The MX hosts (or the implicit MX, or the bracketed host) have no A or AAAA record: 5.4.4,
     * unable to route. Permanent, as in Postfix, where smtp_defer_if_no_mx_address_found=no.
     */
    NO_ADDRESS(550, EnhancedStatusCode.of("5.4.4"), false),
    /** DNS did not answer usefully (timeout, SERVFAIL): 4.4.3, directory server failure. */
    DNS_FAILURE(451, EnhancedStatusCode.of("4.4.3"), true);

    private final int replyCode;
    private final EnhancedStatusCode status;
    private final boolean isTransient;

    RouteFailure(int replyCode, EnhancedStatusCode status, boolean isTransient) {
        this.replyCode = replyCode;
        this.status = status;
        this.isTransient = isTransient;
    }

    public int replyCode() {
        return replyCode;
    }

    public EnhancedStatusCode status() {
        return status;
    }

    public boolean isTransient() {
        return isTransient;
    }

    public boolean isPermanent() {
        return !isTransient;
    }
}
