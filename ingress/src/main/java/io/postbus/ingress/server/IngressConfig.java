package io.postbus.ingress.server;

import io.postbus.ingress.auth.UserStore;
import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.smtp.ClientRateLimits;
import io.postbus.ingress.smtp.RelayPolicy;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.ingress.tls.CertificateSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the ingress needs, typed and validated (built from the checked configuration).
 *
 * @param certificate    the certificate for STARTTLS and port 465 (PEM files, PKCS#12); null = self-signed
 * @param certificateCheck how often the certificate files are checked for a renewal (reloaded without restart)
 * @param timeouts       per-phase limits: command, command line, DATA, BDAT chunk, TLS handshake, whole session
 * @param ackTimeout     how long to wait for the broker's acknowledgement before answering 451
 * @param maxMessagesPerSession messages one SMTP session may send before it must reconnect
 * @param users          SMTP AUTH users; null = AUTH off (submission ports then accept nobody)
 * @param limits         connection limits per client and in total, and per-client command/message/recipient rates
 * @param dnsbl          DNSBL sites checked at connect on the SMTP listener (postscreen_dnsbl_sites)
 */
public record IngressConfig(String hostname, String nodeName, List<ListenerConfig> listeners, long maxMessageSize,
                            int maxRecipients, int maxErrors, int maxMessagesPerSession, SessionTimeouts timeouts, Duration ackTimeout,
                            RelayPolicy relayPolicy, CertificateSource certificate, Duration certificateCheck, UserStore users,
                            Limits limits, DnsblPolicy dnsbl) {
    /**
     * Postfix's anvil limits: sessions on the node, sessions per client, connections per client per
     * minute (0 = off), and per-client rates of commands, messages and recipients (0 = off).
     */
    public record Limits(int maxSessions, int maxSessionsPerClient, int maxConnectionsPerMinute, ClientRateLimits.Rates rates) {
        public static final Limits DEFAULTS = new Limits(1000, 50, 0, ClientRateLimits.Rates.DEFAULTS);

        public Limits {
            Objects.requireNonNull(rates, "rates");
        }
    }

    public IngressConfig {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(timeouts, "timeouts");
    }
}
