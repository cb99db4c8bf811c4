package io.postbus.delivery.smtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One mail transaction (RFC 5321 §3.3) on an open session: MAIL, RCPT for each recipient, and
 * the message if any recipient was accepted: by BDAT when the server offers CHUNKING (RFC 3030),
 * else by DATA. Decides every recipient's outcome from the replies.
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
        boolean chunking = BdatChunk.USE_CHUNKING && caps.chunking();
        boolean binary = envelope.body() == SmtpEnvelope.Body.BINARY_MIME;
        if (binary && !(chunking && caps.binaryMime())) {
            // RFC 3030 §3: binary data goes only by BDAT and only where BINARYMIME is offered.
            // Converting it to base64 would break a DKIM signature (and Postfix cannot either),
            // so it fails for this host, before anything is sent (RFC 3463 §3.7: 5.6.3).
            return finish(SmtpReply.of(554, "5.6.3 Conversion required but not supported: BINARYMIME message,"
                    + " but host " + wire.peer() + " does not offer " + (chunking ? "BINARYMIME" : "CHUNKING")), false);
        }
        List<BdatChunk> chunks = chunking ? BdatChunk.split(message.length, BdatChunk.MAX_SIZE) : List.of();
        List<String> recipients = envelope.recipients();
        boolean pipelining = caps.pipelining();
        wire.command(mailCommand(utf8, chunking));
        if (pipelining) {
            // RFC 2920 §3.1: MAIL and every RCPT go in one group; their replies come back in order.
            for (String r : recipients) {
                wire.command(rcptCommand(r));
            }
        }
        // RFC 3030 §4.2: with PIPELINING, the first BDAT goes in the same group, so a message of
        // one chunk takes a single round trip. The server discards it if no recipient was taken.
        boolean firstChunkSent = chunking && pipelining;
        if (firstChunkSent) {
            wire.sendChunk(chunks.get(0), message);
        } else {
            wire.flush(SmtpPhase.MAIL);
        }
        SmtpReply mail = wire.read(SmtpPhase.MAIL);
        if (!mail.isPositive()) {
            if (pipelining && !mail.isClosing() && readInStep(recipients.size(), firstChunkSent ? chunks.get(0).phase() : null)) {
                return finish(mail, true);
            }
            return finish(mail, mail.isClosing());
        }

        List<Integer> accepted = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            if (!pipelining) {
                wire.command(rcptCommand(recipients.get(i)));
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
            // Every recipient refused: no DATA (RFC 5321 §3.3). A pipelined chunk's reply (503 or
            // 554, no valid recipients) is still due; read it to stay in step.
            boolean closing = firstChunkSent && wire.read(chunks.get(0).phase()).isClosing();
            return finish(null, closing);
        }
        if (chunking) {
            return sendChunks(chunks, accepted, firstChunkSent);
        }

        wire.command("DATA");
        wire.flush(SmtpPhase.DATA);
        SmtpReply data = wire.read(SmtpPhase.DATA);
        if (data.code() != 354) {
            return finish(data, data.isClosing());
        }
        wire.sendMessage(message);
        return finalReplies(accepted, SmtpPhase.DATA_DONE);
    }

    /**
     * After a refused MAIL in a pipelined group: the RCPT replies (503s) and the chunk's reply are
     * on their way (the chunk's when {@code chunkReply} is not null). Reads them to stay in step;
     * true if one of them was a 421.
     */
    private boolean readInStep(int rcptReplies, SmtpPhase chunkReply) throws SmtpException {
        for (int i = 0; i < rcptReplies; i++) {
            if (wire.read(SmtpPhase.RCPT).isClosing()) {
                return true;
            }
        }
        return chunkReply != null && wire.read(chunkReply).isClosing();
    }

    /**
     * RFC 3030 §2: each chunk gets its own reply. Chunks after the first wait for the previous
     * one's 250: a 4xx or 5xx fails the transaction and no further chunk may be sent, and waiting
     * means we never push megabytes the server would throw away, nor leave replies in flight
     * whose number (LMTP, after a failure) nobody could know. A chunk is a MiB, so waiting costs
     * one round trip per MiB.
     */
    private Outcome sendChunks(List<BdatChunk> chunks, List<Integer> accepted, boolean firstSent)
            throws SmtpException {
        for (int c = 0; c < chunks.size(); c++) {
            BdatChunk chunk = chunks.get(c);
            if (c > 0 || !firstSent) {
                wire.sendChunk(chunk, message);
            }
            if (chunk.last()) {
                return finalReplies(accepted, SmtpPhase.BDAT_LAST);
            }
            SmtpReply reply = wire.read(SmtpPhase.BDAT);
            if (!reply.isPositive()) {
                return finish(reply, reply.isClosing()); // every accepted recipient shares the failure
            }
        }
        throw new AssertionError("the chunk list ends with a LAST chunk");
    }

    /** The reply after the final dot or BDAT LAST decides every accepted recipient; LMTP: one each. */
    private Outcome finalReplies(List<Integer> accepted, SmtpPhase phase) throws SmtpException {
        if (lmtp) {
            return lmtpReplies(accepted, phase);
        }
        SmtpReply done = wire.read(phase);
        List<String> recipients = envelope.recipients();
        for (int i : accepted) {
            results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(done), done, caps.dsn());
        }
        return finish(null, done.isClosing());
    }

    /**
     * RFC 2033 §4.2: after the final dot (or BDAT LAST: RFC 3030 §2 leaves the replies to the
     * LMTP rules), one reply per accepted recipient, in RCPT order, each the
     * outcome for that recipient alone. A 421 ends the session: no more replies come, so the
     * recipients still waiting get it (deferred). If the connection drops between replies, the ones
     * already read stay decided and the rest are retried (the exception carries the decided ones).
     */
    private Outcome lmtpReplies(List<Integer> accepted, SmtpPhase phase) throws SmtpException {
        List<String> recipients = envelope.recipients();
        for (int i : accepted) {
            SmtpReply reply = wire.read(phase);
            results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(reply), reply, caps.dsn());
            if (reply.isClosing()) {
                return finish(reply, true);
            }
        }
        return finish(null, false);
    }

    /** MAIL FROM with the parameters the server offered and this message needs. */
    private String mailCommand(boolean utf8, boolean chunking) {
        StringBuilder cmd = new StringBuilder(64).append("MAIL FROM:<").append(envelope.sender()).append('>');
        if (caps.size()) {
            // RFC 1870: the octets of the message as sent. BDAT sends them exactly, DATA may add a CRLF.
            cmd.append(" SIZE=").append(chunking ? message.length : DotStuffing.declaredSize(message));
        }
        SmtpEnvelope.Body body = envelope.body();
        if (body == SmtpEnvelope.Body.BINARY_MIME) {
            cmd.append(" BODY=BINARYMIME"); // RFC 3030 §3; run() checked that it is offered
        } else if (caps.eightBitMime() && (body == SmtpEnvelope.Body.EIGHT_BIT_MIME || DotStuffing.hasEightBit(message))) {
            // RFC 6152. Without 8BITMIME offered we still send the bytes unchanged: converting
            // to 7 bits would break a DKIM signature, and almost every server copes.
            cmd.append(" BODY=8BITMIME");
        }
        if (utf8) {
            cmd.append(" SMTPUTF8"); // RFC 6531 §3.4
        }
        if (caps.dsn()) {
            // RFC 3461 §4: RET and ENVID only to a server that offered DSN (§5.2.1: otherwise
            // they are dropped, and a success report becomes ours to send: "relayed").
            cmd.append(envelope.dsn().mailParameters());
        }
        return cmd.toString();
    }

    /** RCPT TO with NOTIFY and ORCPT (RFC 3461 §4.1, §4.2) where the server offered DSN (LMTP: in LHLO). */
    private String rcptCommand(String recipient) {
        String cmd = "RCPT TO:<" + recipient + ">";
        return caps.dsn() ? cmd + envelope.dsn().rcptParameters(recipient) : cmd;
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
