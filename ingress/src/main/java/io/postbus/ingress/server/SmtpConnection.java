package io.postbus.ingress.server;

import io.postbus.ingress.auth.SaslResult;
import io.postbus.ingress.smtp.DataCollector;
import io.postbus.ingress.smtp.Envelope;
import io.postbus.ingress.smtp.Reply;
import io.postbus.ingress.smtp.SessionDeadlines.Phase;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.ingress.smtp.SmtpSession;
import io.postbus.ingress.smtp.Step;
import io.postbus.ingress.tls.ServerCertificate;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Vert.x shell around one {@link SmtpSession}: frames CRLF lines, feeds them to the session,
 * writes its replies, and carries out its actions. Everything runs on the connection's event loop;
 * the only wait — the broker's acknowledgement — pauses reading instead of blocking, so pipelined
 * commands after the message simply wait their turn. A {@link DeadlineTimer} holds every phase to
 * its {@link SessionTimeouts} limit.
 */
final class SmtpConnection {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);
    private static final int MAX_COMMAND_RECORD = 4096;
    /** RFC 5321 allows 1000 octets per line; real mail exceeds it, so we bound lines generously. */
    private static final int MAX_DATA_RECORD = 1 << 20;

    private final NetSocket socket;
    private final SmtpSession session;
    private final MessagePublisher publisher;
    private final ConnectionInfo base;
    private final Context context;
    private final SessionTimeouts timeouts;
    private final ServerSSLOptions tlsTemplate;
    private final Runnable onClose;
    private final Supplier<ServerCertificate> certificate;
    private RecordParser parser;
    private DeadlineTimer deadlines;
    private boolean inData;
    private boolean inChunk;
    private boolean handshaking;
    private boolean inSasl;
    private boolean closed;

    /** @param tlsTemplate STARTTLS options besides the certificate (the handshake timeout) */
    SmtpConnection(NetSocket socket, SmtpSession session, MessagePublisher publisher, ConnectionInfo base, Context context,
                   SessionTimeouts timeouts, ServerSSLOptions tlsTemplate, Runnable onClose, Supplier<ServerCertificate> certificate) {
        this.onClose = onClose;
        this.certificate = certificate;
        this.socket = socket;
        this.session = session;
        this.publisher = publisher;
        this.base = base;
        this.context = context;
        this.timeouts = timeouts;
        this.tlsTemplate = tlsTemplate;
    }

    /**
     * Greets the client, after {@code greetPause} if set. Whatever the client sends before the
     * banner — including bytes that came in behind a PROXY header — is a pregreet: the client did
     * not wait for us, as spambots don't, and is refused (postscreen's PREGREET test).
     */
    void start(Duration greetPause, Buffer early) {
        deadlines = new DeadlineTimer(context.owner(), timeouts, this::timedOut);
        socket.closeHandler(v -> {
            closed = true;
            deadlines.stop();
            if (onClose != null) {
                onClose.run();
            }
        });
        socket.exceptionHandler(e -> log.debug("connection from {}: {}", base.client(), e.toString()));
        if (socket.isSsl()) { // implicit TLS (port 465): the session starts encrypted
            SSLSession ssl = socket.sslSession();
            session.tlsStarted(ssl.getProtocol(), ssl.getCipherSuite());
        }
        if (early.length() > 0) {
            pregreet();
        } else if (greetPause.isZero()) {
            greet();
        } else {
            socket.handler(b -> pregreet());
            context.owner().setTimer(greetPause.toMillis(), id -> {
                if (!closed) {
                    greet();
                }
            });
        }
    }

    private void greet() {
        newParser();
        deadlines.enter(Phase.COMMAND);
        write(session.greeting());
    }

    private void pregreet() {
        if (!closed) {
            socket.handler(null);
            log.info("pregreet from {}: talked before the banner", base.client());
            write(Reply.of(554, "5.5.1", "Error: talked before the greeting"));
            close();
        }
    }

    /**
     * A fresh parser drops whatever was buffered: used at start and after the TLS handshake. Bytes
     * pass the deadline timer on their way in, which watches unfinished command lines.
     */
    private void newParser() {
        parser = RecordParser.newDelimited("\r\n");
        parser.maxRecordSize(MAX_COMMAND_RECORD);
        parser.exceptionHandler(this::onTooLong);
        parser.handler(this::onRecord);
        socket.handler(bytes -> {
            deadlines.received(bytes);
            parser.handle(bytes);
        });
    }

    /** The parser has no stream of its own: stop the socket too, so the kernel applies back-pressure. */
    private void pauseReading() {
        parser.pause();
        socket.pause();
    }

    private void resumeReading() {
        socket.resume();
        parser.resume();
    }

    private void onRecord(Buffer record) {
        if (handshaking) {
            return;
        }
        if (inChunk) {
            onChunk(record);
            return;
        }
        if (inSasl) {
            inSasl = false;
            perform(session.saslLine(record.toString(StandardCharsets.US_ASCII)));
            return;
        }
        if (inData) {
            onDataLine(record);
            return;
        }
        Step step = session.onLine(record.toString(StandardCharsets.UTF_8));
        perform(step);
    }

    private void perform(Step step) {
        if (step.action() == Step.Action.START_TLS) {
            startTls(step.reply()); // the 220 goes out with the switch, never racing the ClientHello
            return;
        }
        if (step.reply() != null) {
            write(step.reply());
        }
        switch (step.action()) {
            case CONTINUE -> { }
            case READ_DATA -> {
                inData = true;
                parser.maxRecordSize(MAX_DATA_RECORD);
                deadlines.enter(Phase.DATA);
            }
            case READ_CHUNK -> readChunk(session.pendingChunkSize());
            case QUEUE -> queue(session.takeAccepted());
            case SASL_COMPUTE -> computeSasl();
            case READ_SASL -> {
                inSasl = true;
                deadlines.enter(Phase.COMMAND);
            }
            case START_TLS -> throw new IllegalStateException("handled above");
            case CLOSE -> close();
        }
    }

    /** A SASL step may hash a password (Argon2id): never on the event loop. Reading waits meanwhile. */
    private void computeSasl() {
        pauseReading();
        deadlines.enter(Phase.BUSY);
        context.owner().executeBlocking(session::runSasl, false).onComplete(ar -> {
            if (closed) {
                return;
            }
            deadlines.enter(Phase.COMMAND);
            if (deadlines.expireIfDue()) {
                return;
            }
            perform(session.saslResult(ar.succeeded() ? ar.result() : new SaslResult.Failure(SaslResult.Reason.MALFORMED)));
            resumeReading();
        });
    }

    /** BDAT: the next {@code size} octets are message content, whatever they look like. */
    private void readChunk(long size) {
        if (size == 0) {
            perform(session.chunk(new byte[0]));
            return;
        }
        inChunk = true;
        parser.maxRecordSize((int) size);
        parser.fixedSizeMode((int) size);
        deadlines.enter(Phase.BDAT_CHUNK);
    }

    private void onChunk(Buffer octets) {
        inChunk = false;
        parser.maxRecordSize(MAX_COMMAND_RECORD);
        parser.delimitedMode("\r\n");
        deadlines.enter(Phase.COMMAND);
        perform(session.chunk(octets.getBytes()));
    }

    private void onDataLine(Buffer line) {
        DataCollector data = session.dataCollector();
        DataCollector.LineResult r = data.line(line.getBytes());
        switch (r) {
            case MORE -> { }
            case BARE_CR, BARE_LF -> perform(session.bareNewline(r));
            case END -> {
                inData = false;
                parser.maxRecordSize(MAX_COMMAND_RECORD);
                deadlines.enter(Phase.COMMAND);
                perform(session.endOfData());
            }
        }
    }

    /** The session deadline waits for the broker: a client cut off now could not know whether its mail was taken. */
    private void queue(Envelope.Accepted accepted) {
        pauseReading(); // pipelined commands wait until the message is safe
        deadlines.enter(Phase.BUSY);
        ConnectionInfo info = new ConnectionInfo(base.listener(), base.client(), base.clientName(),
                session.tlsProtocol(), session.tlsCipher(), session.authenticatedUser());
        publisher.publish(accepted, info).whenComplete((ok, err) -> context.runOnContext(v -> {
            if (err != null) {
                log.warn("queue id {} from {} not acknowledged by the broker: {}", accepted.queueId(), base.client(), err.toString());
                perform(session.queueFailed());
            } else {
                perform(session.queued(accepted.queueId()));
            }
            if (!closed) {
                deadlines.enter(Phase.COMMAND);
                if (!deadlines.expireIfDue()) {
                    resumeReading();
                }
            }
        }));
    }

    /** RFC 3207 §4.2 and CVE-2011-0411: bytes the client pipelined after STARTTLS are thrown away. */
    private void startTls(Reply ready) {
        handshaking = true; // records already buffered in clear text are dropped, not answered
        deadlines.enter(Phase.TLS_HANDSHAKE);
        // The current certificate each time: a renewal reaches STARTTLS without a restart.
        certificate.get().startTls(socket, Buffer.buffer(ready.toWire()), tlsTemplate).onComplete(ar -> {
            if (ar.failed()) {
                log.debug("TLS handshake with {} failed: {}", base.client(), ar.cause().toString());
                close();
                return;
            }
            SSLSession ssl = socket.sslSession();
            session.tlsStarted(ssl.getProtocol(), ssl.getCipherSuite());
            handshaking = false;
            newParser();
            deadlines.enter(Phase.COMMAND);
        });
    }

    private void onTooLong(Throwable t) {
        Reply r = inData
                ? Reply.of(552, "5.3.4", "Error: line too long")
                : Reply.of(500, "5.5.2", "Error: line too long");
        write(r);
        close();
    }

    /**
     * A limit ran out: 421 and close. The message being received, if any, is dropped with the
     * session, so nothing of it reaches Kafka. Mid TLS handshake no reply could be read, so none goes.
     */
    private void timedOut(SessionTimeouts.Kind kind) {
        if (closed) {
            return;
        }
        log.info("{} timeout ({}) for {} in phase {}", kind, timeouts.of(kind), base.client(), deadlines.phase());
        if (deadlines.phase() != Phase.TLS_HANDSHAKE) {
            write(session.timedOut());
        }
        close();
    }

    private void write(Reply reply) {
        if (!closed) {
            socket.write(Buffer.buffer(reply.toWire()));
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            deadlines.stop();
            socket.close(); // queued behind the reply written before it, so the reply still goes out
        }
    }

    static InetSocketAddress address(io.vertx.core.net.SocketAddress a) {
        return new InetSocketAddress(a.hostAddress(), a.port());
    }
}
