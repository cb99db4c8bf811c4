package io.postbus.delivery.smtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One mail transaction (RFC 5321 §3.3) on an open session: MAIL, RCPT for each recipient, and
 * DATA if any recipient was accepted. Decides every recipient's outcome from the replies.
 */
final class MailTransaction {

    /** The outcomes, and whether the server said 421 and is closing the connection. */
    record Outcome(List<RecipientResult> recipients, boolean serverClosing) { }

    private final SmtpWire wire;
    private final EhloCapabilities caps;
    private final SmtpEnvelope envelope;
    private final byte[] message;
    private final RecipientResult[] results;
    private final boolean lmtp;

    private MailTransaction(SmtpWire wire, EhloCapabilities caps, SmtpEnvelope envelope, byte[] message, boolean lmtp) {
        this.lmtp = lmtp;
        this.wire = wire;
        this.caps = caps;
        this.envelope = envelope;
        this.message = message;
        this.results = new RecipientResult[envelope.recipients().size()];
    }

    static Outcome run(SmtpWire wire, EhloCapabilities caps, SmtpEnvelope envelope, byte[] message, boolean lmtp)
            throws SmtpException {
        MailTransaction t = new MailTransaction(wire, caps, envelope, message, lmtp);
        try {
            return t.run();
        } catch (SmtpException e) {
            throw e.withDecidedRecipients(t.decided());
        }
    }

    private Outcome run() throws SmtpException {
        boolean utf8 = envelope.needsSmtpUtf8();
        if (utf8 && !caps.smtpUtf8()) {
            // RFC 6531 §3.2: without the extension, a non-ASCII address must not be sent at all.
            return finish(SmtpReply.of(550, "5.6.7 SMTPUTF8 is required, but was not offered by host "
                    + wire.peer()), false);
        }
        List<String> recipients = envelope.recipients();
        boolean pipelining = caps.pipelining();
        wire.command(mailCommand(utf8));
        if (pipelining) {
            // RFC 2920 §3.1: MAIL and every RCPT go in one group; their replies come back in order.
            for (String r : recipients) {
                wire.command("RCPT TO:<" + r + ">");
            }
        }
        wire.flush(SmtpPhase.MAIL);
        SmtpReply mail = wire.read(SmtpPhase.MAIL);
        if (!mail.isPositive()) {
            if (pipelining && !mail.isClosing()) {
                // The RCPT replies (503s) are on their way; read them to stay in step.
                for (int i = 0; i < recipients.size(); i++) {
                    wire.read(SmtpPhase.RCPT);
                }
            }
            return finish(mail, mail.isClosing());
        }

        List<Integer> accepted = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            if (!pipelining) {
                wire.command("RCPT TO:<" + recipients.get(i) + ">");
                wire.flush(SmtpPhase.RCPT);
            }
            SmtpReply rcpt = wire.read(SmtpPhase.RCPT);
            if (rcpt.isPositive()) {
                accepted.add(i);
            } else {
                results[i] = refused(i, rcpt);
                if (rcpt.isClosing()) {
                    return finish(rcpt, true); // no more replies will come
                }
            }
        }
        if (accepted.isEmpty()) {
            return finish(null, false); // every recipient refused: no DATA (RFC 5321 §3.3)
        }

        wire.command("DATA");
        wire.flush(SmtpPhase.DATA);
        SmtpReply data = wire.read(SmtpPhase.DATA);
        if (data.code() != 354) {
            return finish(data, data.isClosing());
        }
        wire.sendMessage(message);
        if (lmtp) {
            return lmtpReplies(accepted);
        }
        SmtpReply done = wire.read(SmtpPhase.DATA_DONE);
        for (int i : accepted) {
            results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(done), done);
        }
        return finish(null, done.isClosing());
    }

    /**
     * RFC 2033 §4.2: after the final dot, one reply per accepted recipient, in RCPT order, each the
     * outcome for that recipient alone. A 421 ends the session: no more replies come, so the
     * recipients still waiting get it (deferred). If the connection drops between replies, the ones
     * already read stay decided and the rest are retried (the exception carries the decided ones).
     */
    private Outcome lmtpReplies(List<Integer> accepted) throws SmtpException {
        List<String> recipients = envelope.recipients();
        for (int i : accepted) {
            SmtpReply reply = wire.read(SmtpPhase.DATA_DONE);
            results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(reply), reply);
            if (reply.isClosing()) {
                return finish(reply, true);
            }
        }
        return finish(null, false);
    }

    /** MAIL FROM with the parameters the server offered and this message needs. */
    private String mailCommand(boolean utf8) {
        StringBuilder cmd = new StringBuilder(64).append("MAIL FROM:<").append(envelope.sender()).append('>');
        if (caps.size()) {
            cmd.append(" SIZE=").append(DotStuffing.declaredSize(message)); // RFC 1870
        }
        if (caps.eightBitMime() && DotStuffing.hasEightBit(message)) {
            // RFC 6152. Without 8BITMIME offered we still send the bytes unchanged: converting
            // to 7 bits would break a DKIM signature, and almost every server copes.
            cmd.append(" BODY=8BITMIME");
        }
        if (utf8) {
            cmd.append(" SMTPUTF8"); // RFC 6531 §3.4
        }
        return cmd.toString();
    }

    /** Gives every recipient not yet decided the outcome of {@code reply} (a refusal). */
    private Outcome finish(SmtpReply reply, boolean closing) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = refused(i, Objects.requireNonNull(reply, "undecided recipient without a reply"));
            }
        }
        return new Outcome(List.of(results), closing);
    }

    private RecipientResult refused(int i, SmtpReply reply) {
        return new RecipientResult(envelope.recipients().get(i), DeliveryOutcome.ofRefusal(reply), reply);
    }

    private List<RecipientResult> decided() {
        return Arrays.stream(results).filter(Objects::nonNull).toList();
    }
}
