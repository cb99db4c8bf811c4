package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one message sent on one connection: an outcome per recipient, in envelope order,
 * and where and how it was sent. A failure of the connection itself is an {@link SmtpException}.
 *
 * @param recipients    one result per envelope recipient, in envelope order
 * @param remoteHost    the host name we connected to (the MX name, or the address literal)
 * @param remoteAddress the address and port we connected to
 * @param tls           the TLS parameters, empty for plain text
 * @param timing        how long the connection and the transaction took
 */
public record SmtpDeliveryResult(List<RecipientResult> recipients, String remoteHost,
                                 InetSocketAddress remoteAddress, Optional<TlsInfo> tls, Timing timing,
                                 Optional<InetSocketAddress> localAddress, String heloName) {

    /**
     * @param localAddress the source address the connection left from, when known
     * @param heloName     the name we gave in EHLO/HELO/LHLO
     */
    public SmtpDeliveryResult {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(remoteHost, "remoteHost");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(localAddress, "localAddress");
    }

    /** Without the local end (tests). */
    public SmtpDeliveryResult(List<RecipientResult> recipients, String remoteHost, InetSocketAddress remoteAddress,
                              Optional<TlsInfo> tls, Timing timing) {
        this(recipients, remoteHost, remoteAddress, tls, timing, Optional.empty(), null);
    }

    /**
     * @param connectionSetup     connect, greeting, EHLO and STARTTLS of the connection used
     *                            (spent once, however many messages the connection carries)
     * @param transaction         from RSET or MAIL to the last reply of this message
     * @param messageOnConnection 1 for the first message on the connection, 2 for the next...
     */
    public record Timing(Duration connectionSetup, Duration transaction, int messageOnConnection) {
        public Timing {
            Objects.requireNonNull(connectionSetup, "connectionSetup");
            Objects.requireNonNull(transaction, "transaction");
            if (messageOnConnection < 1) {
                throw new IllegalArgumentException("messageOnConnection starts at 1: " + messageOnConnection);
            }
        }
    }

    public RecipientResult recipient(String address) {
        return recipients.stream().filter(r -> r.recipient().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a recipient: " + address));
    }

    public List<RecipientResult> withOutcome(DeliveryOutcome outcome) {
        return recipients.stream().filter(r -> r.outcome() == outcome).toList();
    }

    public boolean allDelivered() {
        return recipients.stream().allMatch(r -> r.outcome() == DeliveryOutcome.DELIVERED);
    }
}
