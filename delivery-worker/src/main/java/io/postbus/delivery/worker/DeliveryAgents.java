package io.postbus.delivery.worker;

import io.postbus.core.dns.DnsResolver;
import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.DispatchingDeliveryAgent;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.maildir.MaildirDeliveryAgent;
import io.postbus.delivery.maildir.MaildirNames;
import io.postbus.delivery.maildir.MaildirWriter;
import io.postbus.delivery.shaping.SiteShaper;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;

/** The agents a delivery worker runs with, one per transport. */
public final class DeliveryAgents {
    private DeliveryAgents() {}

    /** SMTP to MX hosts and relays, LMTP to mailbox servers, and Maildir written by this process. */
    public static DeliveryAgent standard(Vertx vertx, DnsResolver dns, DeliverySettings settings, Clock clock) {
        return standard(vertx, dns, settings, clock, OutboundTls.defaults(), OutboundAuth.none(), null);
    }

    /**
     * With outbound TLS (trust anchors, policy map, MTA-STS for SMTP) and the worker's traffic shaper.
     *
     * @param shaper SMTP and LMTP connections are reused up to its messages-per-connection and
     *               reported to it; null for the defaults
     */
    public static DeliveryAgent standard(Vertx vertx, DnsResolver dns, DeliverySettings settings, Clock clock,
                                         OutboundTls tls, SiteShaper shaper) {
        return standard(vertx, dns, settings, clock, tls, OutboundAuth.none(), shaper);
    }

    /**
     * With client credentials for SMTP AUTH at relays ({@code delivery.sasl.password.maps}).
     *
     * @param vertx the SMTP and LMTP conversations run on its event loops
     */
    public static DeliveryAgent standard(Vertx vertx, DnsResolver dns, DeliverySettings settings, Clock clock,
                                         OutboundTls tls, OutboundAuth auth, SiteShaper shaper) {
        MaildirNames names = new MaildirNames(clock, ProcessHandle.current().pid(), settings.heloName());
        return new DispatchingDeliveryAgent(Map.of(
                Transport.SMTP, new SmtpDeliveryAgent(vertx, dns, settings, tls, auth, shaper),
                Transport.LMTP, SmtpDeliveryAgent.lmtp(vertx, dns, settings, shaper),
                Transport.MAILDIR, new MaildirDeliveryAgent(new MaildirWriter(names), clock)));
    }
}
