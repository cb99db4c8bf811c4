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
 * @param eightBit    the message has 8-bit octets or was declared 8BITMIME or BINARYMIME
 * @param envelopeId  ENVID as received, decoded from xtext (RFC 3461 §4.4); null when not given
 * @param ret         RET as received ("FULL" or "HDRS", RFC 3461 §4.3); null when not given
 * @param group       the traffic shaping group (io.postbus.delivery.shaping.ShapingGroup): connections
 *                    are reused and counted within it
 * @param body        the body type declared on MAIL FROM when the message was received
 */
public record DeliveryRequest(Transport transport, String destination, String nextHop, String sender, List<Recipient> recipients,
                              byte[] message, boolean eightBit, boolean smtpUtf8, String envelopeId, String ret,
                              String group, BodyType body) {
    public DeliveryRequest {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(destination, "destination");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The BODY= of MAIL FROM (RFC 6152, RFC 3030 §3). BINARY_MIME mail can only be passed on by
     * BDAT to a server offering BINARYMIME; SEVEN_BIT also stands for "none given".
     */
    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** Without a declared body type: 8BITMIME when the message is 8-bit, else SEVEN_BIT. */
    public DeliveryRequest(Transport transport, String destination, String nextHop, String sender, List<Recipient> recipients,
                           byte[] message, boolean eightBit, boolean smtpUtf8, String envelopeId, String ret, String group) {
        this(transport, destination, nextHop, sender, recipients, message, eightBit, smtpUtf8, envelopeId, ret, group,
                eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT);
    }

    /** A request shaped as its own destination. */
    public DeliveryRequest(Transport transport, String destination, String nextHop, String sender, List<Recipient> recipients,
                           byte[] message, boolean eightBit, boolean smtpUtf8, String envelopeId, String ret) {
        this(transport, destination, nextHop, sender, recipients, message, eightBit, smtpUtf8, envelopeId, ret, destination);
    }

    /** The same request declaring {@code newBody} on MAIL FROM. */
    public DeliveryRequest withBody(BodyType newBody) {
        return new DeliveryRequest(transport, destination, nextHop, sender, recipients, message, eightBit, smtpUtf8,
                envelopeId, ret, group, newBody);
    }

    /** A recipient and its RFC 3461 parameters as given to us (NOTIFY values joined by commas). */
    public record Recipient(String address, String notifyOn, String originalRecipient) {}
}
