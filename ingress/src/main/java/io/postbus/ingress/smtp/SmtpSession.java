package io.postbus.ingress.smtp;

import io.postbus.ingress.auth.SaslCodec;
import io.postbus.ingress.auth.SaslResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server side of one SMTP connection as a pure state machine (RFC 5321 §4.1.4 ordering):
 * commands in, replies and actions out. It does no I/O; the Vert.x shell feeds it lines and
 * carries out its {@link Step}s, so every rule here is testable without a socket.
 */
public final class SmtpSession {
    private final SessionSettings settings;
    private final RelayPolicy relay;
    private final InetAddress clientAddress;
    private final String clientName;
    private final Supplier<String> queueIds;
    private final Supplier<ZonedDateTime> now;
    private final AuthExchange auth;
    private final ClientRateLimits rates;

    private String helo;
    private boolean esmtp;
    private String tlsProtocol;
    private String tlsCipher;
    private String authenticatedUser;
    private int errors;

    private String queueId;
    private Envelope.Sender sender;
    private final List<Envelope.Recipient> recipients = new ArrayList<>();
    private DataCollector data;
    private ChunkCollector chunks;
    private PendingChunk pendingChunk;
    private Envelope.Accepted accepted;
    private int messagesQueued;

    /** A BDAT whose octets the shell is reading; its verdict is known before they arrive. */
    private record PendingChunk(long size, boolean last, Reply refusal) {}

    /**
     * @param auth  SMTP AUTH, or null when no users are configured (then AUTH is not offered)
     * @param rates per-client rates shared by every session of the node
     */
    public SmtpSession(SessionSettings settings, RelayPolicy relay, InetAddress clientAddress, String clientName,
                       Supplier<String> queueIds, Supplier<ZonedDateTime> now, SessionAuth auth, ClientRateLimits rates) {
        this.auth = auth == null ? null : new AuthExchange(auth, clientAddress);
        this.rates = rates;
        this.settings = settings;
        this.relay = relay;
        this.clientAddress = clientAddress;
        this.clientName = clientName;
        this.queueIds = queueIds;
        this.now = now;
    }

    public Reply greeting() {
        return Reply.plain(220, settings.hostname() + " ESMTP Postbus");
    }

    public Step onLine(String line) {
        if (overRate(ClientRateLimits.Event.COMMAND)) { // a flood ends the session, as Postfix's anvil limits do
            return new Step(ClientRateLimits.refusal(ClientRateLimits.Event.COMMAND, settings.hostname(), clientAddress),
                    Step.Action.CLOSE);
        }
        Command c = CommandParser.parse(line);
        if (c instanceof Command.Invalid i) {
            return error(i.reply());
        } else if (c instanceof Command.Ehlo e) {
            return ehlo(e.domain());
        } else if (c instanceof Command.Helo h) {
            return helo(h.domain());
        } else if (c instanceof Command.StartTls) {
            return startTls();
        } else if (c instanceof Command.Mail m) {
            return mail(m.reversePath(), m.params());
        } else if (c instanceof Command.Rcpt r) {
            return rcpt(r.forwardPath(), r.params());
        } else if (c instanceof Command.Data) {
            return data();
        } else if (c instanceof Command.Auth a) {
            return auth(a.mechanism(), a.initialResponse());
        } else if (c instanceof Command.Bdat b) {
            return bdat(b.size(), b.last());
        } else if (c instanceof Command.Rset) {
            resetTransaction();
            return Step.reply(Reply.of(250, "2.0.0", "Ok"));
        } else if (c instanceof Command.Noop) {
            return Step.reply(Reply.of(250, "2.0.0", "Ok"));
        } else if (c instanceof Command.Quit) {
            return new Step(Reply.of(221, "2.0.0", "Bye"), Step.Action.CLOSE);
        } else if (c instanceof Command.Vrfy) {
            return Step.reply(Reply.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery"));
        } else {
            return Step.reply(Reply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS"));
        }
    }

    private Step ehlo(String domain) {
        resetTransaction();
        helo = domain;
        esmtp = true;
        return Step.reply(EhloKeywords.reply(settings, tlsProtocol != null, auth != null));
    }

    private Step helo(String domain) {
        resetTransaction();
        helo = domain;
        esmtp = false;
        return Step.reply(Reply.plain(250, settings.hostname()));
    }

    private Step startTls() {
        if (tlsProtocol != null) {
            return error(Reply.of(554, "5.5.1", "Error: TLS already active"));
        }
        if (!settings.tlsAvailable()) {
            return error(Reply.of(454, "4.7.0", "TLS not available due to local problem"));
        }
        return new Step(Reply.of(220, "2.0.0", "Ready to start TLS"), Step.Action.START_TLS);
    }

    /** After the handshake the session starts over: nothing learnt in clear text survives (RFC 3207 §4.2). */
    public void tlsStarted(String protocol, String cipher) {
        resetTransaction();
        helo = null;
        esmtp = false;
        tlsProtocol = protocol;
        tlsCipher = cipher;
    }

    private Step auth(String mechanism, String initialResponse) {
        if (auth == null) {
            return error(Reply.of(503, "5.5.1", "Error: authentication not enabled"));
        }
        Reply notNow = AuthExchange.outOfOrder(esmtp, authenticatedUser != null, sender != null, tlsProtocol != null);
        if (notNow != null) {
            return error(notNow);
        }
        Reply refused = auth.begin(mechanism, initialResponse);
        return refused == null ? new Step(null, Step.Action.SASL_COMPUTE) : error(refused);
    }

    /** The pending SASL step; the shell calls it on a worker thread and hands the result to {@link #saslResult}. */
    public SaslResult runSasl() {
        return auth.run();
    }

    public Step saslResult(SaslResult result) {
        if (result instanceof SaslResult.Challenge c) {
            return new Step(Reply.plain(334, SaslCodec.encodeChallenge(c)), Step.Action.READ_SASL);
        }
        if (result instanceof SaslResult.Success ok) {
            auth.succeeded();
            authenticatedUser = ok.user();
            return Step.reply(Reply.of(235, "2.7.0", "Authentication successful"));
        }
        SaslResult.Reason why = ((SaslResult.Failure) result).reason();
        auth.failed();
        return error(Reply.of(why.replyCode(), why.enhancedCode(), why.text()));
    }

    /** The client's answer to a 334. */
    public Step saslLine(String line) {
        Reply refused = auth.line(line);
        return refused == null ? new Step(null, Step.Action.SASL_COMPUTE) : error(refused);
    }

    private Step mail(String path, Map<String, String> params) {
        if (helo == null) {
            return error(Reply.of(503, "5.5.1", "Error: send HELO/EHLO first"));
        }
        if (sender != null) {
            return error(Reply.of(503, "5.5.1", "Error: nested MAIL command"));
        }
        if (settings.kind() == ListenerKind.SUBMISSION && tlsProtocol == null) {
            return error(Reply.of(530, "5.7.0", "Must issue a STARTTLS command first"));
        }
        if (settings.requiresAuth() && authenticatedUser == null) {
            return error(Reply.of(530, "5.7.0", "Authentication required"));
        }
        if (messagesQueued >= settings.maxMessages()) {
            return error(Reply.of(452, "4.5.3", "Error: too many messages in this session"));
        }
        if (!params.isEmpty() && !esmtp) {
            return error(Reply.of(555, "5.5.4", "Error: parameters need EHLO"));
        }
        MailParams.Parsed p = MailParams.parse(params, settings.maxMessageSize());
        if (p.error() != null) {
            return error(p.error());
        }
        if (!MailAddress.isAscii(path) && !p.smtpUtf8()) {
            return error(Reply.of(553, "5.6.7", "Error: non-ASCII address needs SMTPUTF8"));
        }
        if (p.requireTls() && tlsProtocol == null) { // RFC 8689 §4.1: only over TLS, where we advertise it
            return error(Reply.of(530, "5.7.10", "REQUIRETLS needs a TLS session"));
        }
        if (overRate(ClientRateLimits.Event.MESSAGE)) {
            return error(ClientRateLimits.refusal(ClientRateLimits.Event.MESSAGE, settings.hostname(), clientAddress));
        }
        queueId = queueIds.get();
        sender = new Envelope.Sender(path, p.size(), p.body(), p.smtpUtf8(), p.ret(), p.envelopeId(), p.authParam(),
                p.requireTls());
        return Step.reply(Reply.of(250, "2.1.0", "Ok"));
    }

    private Step rcpt(String path, Map<String, String> params) {
        if (sender == null) {
            return error(Reply.of(503, "5.5.1", "Error: need MAIL command"));
        }
        if (recipients.size() >= settings.maxRecipients()) {
            return Step.reply(Reply.of(452, "4.5.3", "Error: too many recipients"));
        }
        if (!MailAddress.isAscii(path) && !sender.smtpUtf8()) {
            return error(Reply.of(553, "5.6.7", "Error: non-ASCII address needs SMTPUTF8"));
        }
        RcptParams.Parsed p = RcptParams.parse(params, esmtp);
        if (p.error() != null) {
            return error(p.error());
        }
        if (overRate(ClientRateLimits.Event.RECIPIENT)) {
            return error(ClientRateLimits.refusal(ClientRateLimits.Event.RECIPIENT, settings.hostname(), clientAddress));
        }
        String address = path.equalsIgnoreCase("postmaster") ? "postmaster@" + settings.hostname() : path;
        Optional<Reply> refused = relay.refusal(clientAddress, authenticatedUser != null, address);
        if (refused.isPresent()) {
            return error(refused.get());
        }
        recipients.add(new Envelope.Recipient(address, p.notifyOn(), p.originalRecipient()));
        return Step.reply(Reply.of(250, "2.1.5", "Ok"));
    }

    private Step data() {
        if (sender == null) {
            return error(Reply.of(503, "5.5.1", "Error: need MAIL command"));
        }
        if (recipients.isEmpty()) {
            return error(Reply.of(554, "5.5.1", "Error: no valid recipients"));
        }
        if (chunks != null || sender.body() == Envelope.Body.BINARY_MIME) { // RFC 3030 §3 and §4.2
            return error(Reply.of(503, "5.5.1", "Error: DATA not allowed with BDAT or BODY=BINARYMIME"));
        }
        byte[] received = receivedHeader();
        data = new DataCollector(received, settings.maxMessageSize() + received.length);
        return new Step(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"), Step.Action.READ_DATA);
    }

    private byte[] receivedHeader() {
        return ReceivedHeader.render(helo, clientName, clientAddress, settings.hostname(), protocol(),
                tlsProtocol, tlsCipher, queueId, recipients.size() == 1 ? recipients.get(0).address() : null, now.get())
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * RFC 3030 §2: the chunk's octets follow at once, whatever our answer, so they are always read;
     * the verdict is decided now and given after them. A chunk too large to read is refused with a
     * disconnect instead.
     */
    private Step bdat(long size, boolean last) {
        if (size > 2 * settings.maxMessageSize()) {
            return new Step(Reply.of(552, "5.3.4", "Error: chunk too big"), Step.Action.CLOSE);
        }
        Reply refusal = null;
        if (sender == null) {
            refusal = Reply.of(503, "5.5.1", "Error: need MAIL command");
        } else if (recipients.isEmpty()) {
            refusal = Reply.of(554, "5.5.1", "Error: no valid recipients");
        } else if (chunks == null) {
            byte[] received = receivedHeader();
            chunks = new ChunkCollector(received, settings.maxMessageSize() + received.length);
        }
        pendingChunk = new PendingChunk(size, last, refusal);
        return new Step(null, Step.Action.READ_CHUNK);
    }

    /** Octets the shell must read for the BDAT just given. */
    public long pendingChunkSize() {
        return pendingChunk == null ? 0 : pendingChunk.size();
    }

    /** The octets of the pending BDAT chunk have arrived. */
    public Step chunk(byte[] octets) {
        PendingChunk pc = pendingChunk;
        pendingChunk = null;
        if (pc.refusal() != null) {
            return error(pc.refusal());
        }
        chunks.add(octets);
        if (chunks.isTooBig()) {
            resetTransaction();
            return Step.reply(Reply.of(552, "5.3.4", "Error: message file too big"));
        }
        if (!pc.last()) {
            return Step.reply(Reply.of(250, "2.0.0", pc.size() + " octets received"));
        }
        accepted = acceptedMessage(chunks.message());
        return new Step(null, Step.Action.QUEUE);
    }

    /** The complete message the last QUEUE step announced. */
    public Envelope.Accepted takeAccepted() {
        Envelope.Accepted a = accepted;
        accepted = null;
        return a;
    }

    private Envelope.Accepted acceptedMessage(byte[] message) {
        return new Envelope.Accepted(queueId, helo, protocol(), sender, recipients, isOriginating(), message);
    }

    /** The collector for the message being received; only between READ_DATA and its end. */
    public DataCollector dataCollector() {
        return data;
    }

    /** Called at the terminating dot: QUEUE the message, or refuse it when it was too big. */
    public Step endOfData() {
        DataCollector d = data;
        data = null;
        if (d.isTooBig()) {
            resetTransaction();
            return Step.reply(Reply.of(552, "5.3.4", "Error: message file too big"));
        }
        accepted = acceptedMessage(d.message());
        return new Step(null, Step.Action.QUEUE);
    }

    /** A bare CR or LF inside DATA: refuse and disconnect, so no smuggled command is ever read. */
    public Step bareNewline(DataCollector.LineResult which) {
        data = null;
        resetTransaction();
        String what = which == DataCollector.LineResult.BARE_CR ? "<CR>" : "<LF>";
        return new Step(Reply.of(550, "5.5.2", "Error: bare " + what + " received"), Step.Action.CLOSE);
    }

    /** The broker acknowledged the message: it is ours now. */
    public Step queued(String id) {
        resetTransaction();
        messagesQueued++;
        return Step.reply(Reply.of(250, "2.0.0", "Ok: queued as " + id));
    }

    /** The broker did not acknowledge in time: nothing was kept, the client must retry. */
    public Step queueFailed() {
        resetTransaction();
        return Step.reply(Reply.of(451, "4.3.0", "Error: queue file write error"));
    }

    public boolean isOriginating() {
        return authenticatedUser != null || relay.isTrusted(clientAddress);
    }

    /** RFC 3848 protocol name for Received and the envelope. */
    public String protocol() {
        return ReceivedHeader.protocol(esmtp, tlsProtocol != null, authenticatedUser != null);
    }

    public String tlsProtocol() {
        return tlsProtocol;
    }

    public String tlsCipher() {
        return tlsCipher;
    }

    public String helo() {
        return helo;
    }

    public String authenticatedUser() {
        return authenticatedUser;
    }

    /** A {@link SessionTimeouts} limit ran out: the last word before the shell closes the connection. */
    public Reply timedOut() {
        resetTransaction();
        return Reply.of(421, "4.4.2", settings.hostname() + " Error: timeout exceeded");
    }

    private Step error(Reply reply) {
        errors++;
        if (errors >= settings.maxErrors()) {
            return new Step(Reply.of(421, "4.7.0", settings.hostname() + " Error: too many errors"), Step.Action.CLOSE);
        }
        return Step.reply(reply);
    }

    private void resetTransaction() {
        queueId = null;
        sender = null;
        recipients.clear();
        data = null;
        chunks = null;
    }

    /** Counts one event against the client's rate; true when it is over (then nothing is counted). */
    private boolean overRate(ClientRateLimits.Event event) {
        return !rates.allows(event, clientAddress);
    }
}
