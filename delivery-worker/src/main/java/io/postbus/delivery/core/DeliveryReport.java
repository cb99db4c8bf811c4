package io.postbus.delivery.core;

import java.util.List;

/**
 * One attempt's outcome, per recipient.
 *
 * @param remoteHost    the host that answered last (null when none could be reached)
 * @param remoteAddress its IP address
 * @param tlsProtocol   the TLS version of that session, null in plain text
 * @param tlsCipher     its cipher suite
 * @param tlsPeer       the subject of the server's certificate, null without one
 * @param tlsDetail     the TLS policy that applied and where it came from, the certificate check's
 *                      result, and what MTA-STS testing mode would have refused; null when no TLS
 *                      policy was involved (Maildir)
 * @param localAddress  the IP address the connection left from (the site's source address or the
 *                      kernel's choice): what the receiver, its logs and blocklists saw; null when
 *                      no connection was made
 * @param heloName      the name we gave in EHLO/HELO/LHLO on that connection; null likewise
 */
public record DeliveryReport(List<RecipientResult> results, String remoteHost, String remoteAddress,
                             String tlsProtocol, String tlsCipher, String tlsPeer, String tlsDetail,
                             long durationMillis, String localAddress, String heloName) {
    public DeliveryReport {
        results = List.copyOf(results);
    }

    /** Without the local end of the connection. */
    public DeliveryReport(List<RecipientResult> results, String remoteHost, String remoteAddress,
                          String tlsProtocol, String tlsCipher, String tlsPeer, String tlsDetail,
                          long durationMillis) {
        this(results, remoteHost, remoteAddress, tlsProtocol, tlsCipher, tlsPeer, tlsDetail, durationMillis, null, null);
    }

    /** Without certificate and policy details. */
    public DeliveryReport(List<RecipientResult> results, String remoteHost, String remoteAddress,
                          String tlsProtocol, String tlsCipher, long durationMillis) {
        this(results, remoteHost, remoteAddress, tlsProtocol, tlsCipher, null, null, durationMillis);
    }

    /** The same report, naming the local end of the connection it came over. */
    public DeliveryReport withLocalEnd(String newLocalAddress, String newHeloName) {
        return new DeliveryReport(results, remoteHost, remoteAddress, tlsProtocol, tlsCipher, tlsPeer, tlsDetail,
                durationMillis, newLocalAddress, newHeloName);
    }

    public enum Outcome { DELIVERED, DEFERRED, BOUNCED }

    /**
     * @param dsnPassedOn the server that answered offered DSN and got this recipient's RFC 3461
     *                    parameters with it (SMTP and LMTP): a success report is its to send, not ours
     *                    (RFC 3461 §5.2.2)
     */
    public record RecipientResult(String recipient, Outcome outcome, RemoteReply reply, boolean dsnPassedOn) {
        /** Without DSN parameters passed on (refused, undelivered, Maildir, or a server without DSN). */
        public RecipientResult(String recipient, Outcome outcome, RemoteReply reply) {
            this(recipient, outcome, reply, false);
        }
    }

    /** Every recipient gets the same outcome: used when no connection could be made at all. */
    public static DeliveryReport all(DeliveryRequest request, Outcome outcome, RemoteReply reply, long durationMillis) {
        return all(request, outcome, reply, null, durationMillis);
    }

    /** The same, with a TLS detail (e.g. the policy that allowed no host). */
    public static DeliveryReport all(DeliveryRequest request, Outcome outcome, RemoteReply reply, String tlsDetail,
                                     long durationMillis) {
        return new DeliveryReport(request.recipients().stream()
                .map(r -> new RecipientResult(r.address(), outcome, reply)).toList(), null, null, null, null, null,
                tlsDetail, durationMillis);
    }
}
