package io.postbus.delivery.smtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * One mail transaction (RFC 5321 §3.3) on an open session: MAIL, RCPT for each recipient, and
 * the message if any recipient was accepted: by BDAT when the server offers CHUNKING (RFC 3030),
 * else by DATA. Decides every recipient's outcome from the replies. Asynchronous; the lists
 * (recipients, chunks, LMTP replies) are walked with {@link Async#loop}, so replies that arrived
 * together are taken in a loop, not in nested callbacks.
 */
final class MailTransaction {

    /** The outcomes, and whether the server said 421 and is closing the connection. */
    record Outcome(List<RecipientResult> recipients, boolean serverClosing) { }

    private final SmtpChannel wire;
    private final EhloCapabilities caps;
    private final SmtpEnvelope envelope;
    private final byte[] message;
    private final RecipientResult[] results;
    private final boolean lmtp;
    /** What ended a loop early: the outcome to give, or the reply that closed the session. */
    private Outcome early;

    private MailTransaction(SmtpChannel wire, EhloCapabilities caps, SmtpEnvelope envelope, byte[] message,
                            boolean lmtp) {
        this.lmtp = lmtp;
        this.wire = wire;
        this.caps = caps;
        this.envelope = envelope;
        this.message = message;
        this.results = new RecipientResult[envelope.recipients().size()];
    }

    static CompletionStage<Outcome> run(SmtpChannel wire, EhloCapabilities caps, SmtpEnvelope envelope, byte[] message,
                                        boolean lmtp) {
        MailTransaction t = new MailTransaction(wire, caps, envelope, message, lmtp);
        return t.run().exceptionallyCompose(e -> {
            Throwable cause = Async.cause(e);
            return Async.failed(cause instanceof SmtpException s ? s.withDecidedRecipients(t.decided()) : cause);
        });
    }

    private CompletionStage<Outcome> run() {
        boolean utf8 = envelope.needsSmtpUtf8();
        if (utf8 && !caps.smtpUtf8()) {
            // RFC 6531 §3.2: without the extension, a non-ASCII address must not be sent at all.
            return Async.done(finish(SmtpReply.of(550, "5.6.7 SMTPUTF8 is required, but was not offered by host "
                    + wire.peer()), false));
        }
        boolean chunking = BdatChunk.USE_CHUNKING && caps.chunking();
        boolean binary = envelope.body() == SmtpEnvelope.Body.BINARY_MIME;
        if (binary && !(chunking && caps.binaryMime())) {
            // RFC 3030 §3: binary data goes only by BDAT and only where BINARYMIME is offered.
            // Converting it to base64 would break a DKIM signature (and Postfix cannot either),
            // so it fails for this host, before anything is sent (RFC 3463 §3.7: 5.6.3).
            return Async.done(finish(SmtpReply.of(554, "5.6.3 Conversion required but not supported: BINARYMIME message,"
                    + " but host " + wire.peer() + " does not offer " + (chunking ? "BINARYMIME" : "CHUNKING")), false));
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
        CompletionStage<Void> sent = firstChunkSent ? wire.sendChunk(chunks.get(0), message) : wire.flush(SmtpPhase.MAIL);
        return sent.thenCompose(v -> wire.read(SmtpPhase.MAIL)).thenCompose(mail -> {
            if (!mail.isPositive()) {
                if (pipelining && !mail.isClosing()) {
                    return readInStep(recipients.size(), firstChunkSent ? chunks.get(0).phase() : null)
                            .thenApply(closing -> finish(mail, closing));
                }
                return Async.done(finish(mail, mail.isClosing()));
            }
            List<Integer> accepted = new ArrayList<>(recipients.size());
            return Async.loop(recipients.size(), i -> {
                CompletionStage<Void> asked = Async.done(null);
                if (!pipelining) {
                    wire.command(rcptCommand(recipients.get(i)));
                    asked = wire.flush(SmtpPhase.RCPT);
                }
                return asked.thenCompose(v -> wire.read(SmtpPhase.RCPT)).thenApply(rcpt -> {
                    if (rcpt.isPositive()) {
                        accepted.add(i);
                        return true;
                    }
                    results[i] = refused(i, rcpt);
                    if (rcpt.isClosing()) {
                        early = finish(rcpt, true); // no more replies will come
                        return false;
                    }
                    return true;
                });
            }).thenCompose(v -> afterRecipients(accepted, chunks, firstChunkSent));
        });
    }

    private CompletionStage<Outcome> afterRecipients(List<Integer> accepted, List<BdatChunk> chunks,
                                                     boolean firstChunkSent) {
        if (early != null) {
            return Async.done(early);
        }
        if (accepted.isEmpty()) {
            // Every recipient refused: no DATA (RFC 5321 §3.3). A pipelined chunk's reply (503 or
            // 554, no valid recipients) is still due; read it to stay in step.
            if (firstChunkSent) {
                return wire.read(chunks.get(0).phase()).thenApply(r -> finish(null, r.isClosing()));
            }
            return Async.done(finish(null, false));
        }
        if (!chunks.isEmpty()) {
            return sendChunks(chunks, accepted, firstChunkSent);
        }
        wire.command("DATA");
        return wire.flush(SmtpPhase.DATA).thenCompose(v -> wire.read(SmtpPhase.DATA)).thenCompose(data -> {
            if (data.code() != 354) {
                return Async.done(finish(data, data.isClosing()));
            }
            return wire.sendMessage(message).thenCompose(v -> finalReplies(accepted, SmtpPhase.DATA_DONE));
        });
    }

    /**
     * After a refused MAIL in a pipelined group: the RCPT replies (503s) and the chunk's reply are
     * on their way (the chunk's when {@code chunkReply} is not null). Reads them to stay in step;
     * true if one of them was a 421.
     */
    private CompletionStage<Boolean> readInStep(int rcptReplies, SmtpPhase chunkReply) {
        boolean[] closing = {false};
        return Async.loop(rcptReplies, i -> wire.read(SmtpPhase.RCPT).thenApply(r -> {
            closing[0] = r.isClosing();
            return !closing[0];
        })).thenCompose(v -> closing[0] || chunkReply == null ? Async.done(closing[0])
                : wire.read(chunkReply).thenApply(SmtpReply::isClosing));
    }

    /**
     * RFC 3030 §2: each chunk gets its own reply. Chunks after the first wait for the previous
     * one's 250: a 4xx or 5xx fails the transaction and no further chunk may be sent, and waiting
     * means we never push megabytes the server would throw away, nor leave replies in flight
     * whose number (LMTP, after a failure) nobody could know. A chunk is a MiB, so waiting costs
     * one round trip per MiB.
     */
    private CompletionStage<Outcome> sendChunks(List<BdatChunk> chunks, List<Integer> accepted, boolean firstSent) {
        return Async.loop(chunks.size(), c -> {
            BdatChunk chunk = chunks.get(c);
            CompletionStage<Void> sent = c > 0 || !firstSent ? wire.sendChunk(chunk, message) : Async.done(null);
            if (chunk.last()) {
                return sent.thenCompose(v -> finalReplies(accepted, SmtpPhase.BDAT_LAST))
                        .thenApply(outcome -> {
                            early = outcome;
                            return false;
                        });
            }
            return sent.thenCompose(v -> wire.read(SmtpPhase.BDAT)).thenApply(reply -> {
                if (!reply.isPositive()) {
                    early = finish(reply, reply.isClosing()); // every accepted recipient shares the failure
                    return false;
                }
                return true;
            });
        }).thenApply(v -> Objects.requireNonNull(early, "the chunk list ends with a LAST chunk"));
    }

    /** The reply after the final dot or BDAT LAST decides every accepted recipient; LMTP: one each. */
    private CompletionStage<Outcome> finalReplies(List<Integer> accepted, SmtpPhase phase) {
        if (lmtp) {
            return lmtpReplies(accepted, phase);
        }
        List<String> recipients = envelope.recipients();
        return wire.read(phase).thenApply(done -> {
            for (int i : accepted) {
                results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(done), done, caps.dsn());
            }
            return finish(null, done.isClosing());
        });
    }

    /**
     * RFC 2033 §4.2: after the final dot (or BDAT LAST: RFC 3030 §2 leaves the replies to the
     * LMTP rules), one reply per accepted recipient, in RCPT order, each the
     * outcome for that recipient alone. A 421 ends the session: no more replies come, so the
     * recipients still waiting get it (deferred). If the connection drops between replies, the ones
     * already read stay decided and the rest are retried (the exception carries the decided ones).
     */
    private CompletionStage<Outcome> lmtpReplies(List<Integer> accepted, SmtpPhase phase) {
        List<String> recipients = envelope.recipients();
        SmtpReply[] closing = {null};
        return Async.loop(accepted.size(), k -> wire.read(phase).thenApply(reply -> {
            int i = accepted.get(k);
            results[i] = new RecipientResult(recipients.get(i), DeliveryOutcome.of(reply), reply, caps.dsn());
            if (reply.isClosing()) {
                closing[0] = reply;
                return false;
            }
            return true;
        })).thenApply(v -> closing[0] != null ? finish(closing[0], true) : finish(null, false));
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
