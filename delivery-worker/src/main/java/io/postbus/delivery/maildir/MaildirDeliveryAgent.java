package io.postbus.delivery.maildir;

import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.Outcome;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.core.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Final delivery into a Maildir, as Postfix's local(8) and virtual(8) agents do it: the request's
 * next hop is the mailbox directory, and every recipient gets its own copy with
 * {@code Return-Path:} and {@code Delivered-To:} prepended (the copies differ in Delivered-To,
 * which is what loop detection and Sieve filters read). The message's bytes follow unchanged, so a
 * DKIM signature over them still verifies; the two new headers are above it and not signed.
 */
public final class MaildirDeliveryAgent implements DeliveryAgent {
    private final MaildirWriter writer;
    private final Clock clock;

    public MaildirDeliveryAgent(MaildirWriter writer, Clock clock) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        if (request.transport() != Transport.MAILDIR) {
            throw new IllegalArgumentException("not a Maildir request: " + request.transport());
        }
        long start = clock.millis();
        Path maildir = maildir(request.nextHop());
        if (maildir == null) {
            // A router or table mistake: the postmaster fixes it, the mail waits (Postfix: 4.3.5).
            return DeliveryReport.all(request, Outcome.DEFERRED,
                    new RemoteReply(451, "4.3.5", "mailbox directory is not an absolute path: " + request.nextHop()),
                    clock.millis() - start);
        }
        List<DeliveryReport.RecipientResult> results = new ArrayList<>();
        for (DeliveryRequest.Recipient rcpt : request.recipients()) {
            results.add(deliverOne(request, rcpt.address(), maildir));
        }
        return new DeliveryReport(results, null, null, null, null, clock.millis() - start);
    }

    private DeliveryReport.RecipientResult deliverOne(DeliveryRequest request, String recipient, Path maildir) {
        if (hasLineBreak(recipient) || hasLineBreak(request.sender())) {
            // Would inject a header; no retry can make the address valid (RFC 3463 5.1.3).
            return new DeliveryReport.RecipientResult(recipient, Outcome.BOUNCED,
                    new RemoteReply(550, "5.1.3", "bad address syntax"));
        }
        MaildirResult r = writer.deliver(maildir, withDeliveryHeaders(request.sender(), recipient, request.message()));
        return switch (r.status()) {
            case DELIVERED -> new DeliveryReport.RecipientResult(recipient, Outcome.DELIVERED,
                    new RemoteReply(250, r.status().enhancedStatus(), r.detail()));
            case MAILBOX_UNAVAILABLE -> new DeliveryReport.RecipientResult(recipient, Outcome.DEFERRED,
                    new RemoteReply(450, r.status().enhancedStatus(), r.detail()));
            case SYSTEM_ERROR -> new DeliveryReport.RecipientResult(recipient, Outcome.DEFERRED,
                    new RemoteReply(451, r.status().enhancedStatus(), r.detail()));
        };
    }

    /**
     * {@code Return-Path: <sender>} then {@code Delivered-To: recipient} (lower-cased, as Postfix's
     * mail_copy writes it), each ended like the message's own first line so the file does not mix
     * CRLF and LF, followed by the message exactly as received.
     */
    static byte[] withDeliveryHeaders(String sender, String recipient, byte[] message) {
        String eol = endsFirstLineWithCrLf(message) ? "\r\n" : "\n";
        String headers = "Return-Path: <" + sender + ">" + eol
                + "Delivered-To: " + recipient.toLowerCase(Locale.ROOT) + eol;
        byte[] head = headers.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    private static boolean endsFirstLineWithCrLf(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                return i > 0 && message[i - 1] == '\r';
            }
        }
        return true;
    }

    private static Path maildir(String nextHop) {
        if (nextHop == null || nextHop.isEmpty()) {
            return null;
        }
        try {
            Path p = Path.of(nextHop);
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
