package io.postbus.delivery.core;

import java.util.List;
import java.util.Objects;

/**
 * One attempt's input.
 *
 * @param transport   how to reach the recipients; decides what {@code nextHop} means
 * @param destination recipient domain, or the next hop when the route names one
 * @param nextHop     SMTP and LMTP: Postfix syntax ({@code [host]:port}, {@code host}), null = MX of
 *                    {@code destination}; MAILDIR: the mailbox directory
 * @param sender      reverse-path, "" for the null sender
 * @param recipients  forward-paths, with their DSN parameters to pass on
 * @param message     the exact bytes to transfer; never re-encoded (a DKIM signature covers them)
 * @param group       the traffic shaping group (io.postbus.delivery.shaping.ShapingGroup): connections
 *                    are reused and counted within it
 */
public record DeliveryRequest(Transport transport, String destination, String nextHop, String sender, List<Recipient> recipients,
                              byte[] message, boolean eightBit, boolean smtpUtf8, String envelopeId, String ret,
                              String group) {
    public DeliveryRequest {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(destination, "destination");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(group, "group");
    }

    /** A request shaped as its own destination. */
    public DeliveryRequest(Transport transport, String destination, String nextHop, String sender, List<Recipient> recipients,
                           byte[] message, boolean eightBit, boolean smtpUtf8, String envelopeId, String ret) {
        this(transport, destination, nextHop, sender, recipients, message, eightBit, smtpUtf8, envelopeId, ret, destination);
    }

    /** A recipient and its RFC 3461 parameters as given to us (NOTIFY values joined by commas). */
    public record Recipient(String address, String notifyOn, String originalRecipient) {}
}
