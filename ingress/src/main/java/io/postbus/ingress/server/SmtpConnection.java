package io.postbus.ingress.server;

import io.postbus.ingress.smtp.DataCollector;
import io.postbus.ingress.smtp.Envelope;
import io.postbus.ingress.smtp.Reply;
import io.postbus.ingress.smtp.SmtpSession;
import io.postbus.ingress.smtp.Step;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import io.postbus.ingress.tls.ServerCertificate;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Vert.x shell around one {@link SmtpSession}: frames CRLF lines, feeds them to the session,
 * writes its replies, and carries out its actions. Everything runs on the connection's event loop;
 * the only wait — the broker's acknowledgement — pauses reading instead of blocking, so pipelined
 * commands after the message simply wait their turn.
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
    private final long idleTimeoutMs;
    private final Runnable onClose;
    private final Supplier<ServerCertificate> certificate;
    private RecordParser parser;
    private boolean inData;
    private boolean inChunk;
    private boolean handshaking;
    private boolean inSasl;
    private boolean closed;
    private long lastActivity = System.nanoTime();
    private long idleTimer;

    SmtpConnection(NetSocket socket, SmtpSession session, MessagePublisher publisher, ConnectionInfo base,
                   Context context, long idleTimeoutMs, Runnable onClose, Supplier<ServerCertificate> certificate) {
        this.onClose = onClose;
        this.certificate = certificate;
        this.socket = socket;
        this.session = session;
        this.publisher = publisher;
        this.base = base;
        this.context = context;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /**
     * Greets the client, after {@code greetPause} if set. Whatever the client sends before the
     * banner — including bytes that came in behind a PROXY header — is a pregreet: the client did
     * not wait for us, as spambots don't, and is refused (postscreen's PREGREET test).
     */
    void start(Duration greetPause, Buffer early) {
        socket.closeHandler(v -> {
            closed = true;
            context.owner().cancelTimer(idleTimer);
            if (onClose != null) {
                onClose.run();
            }
        });
        socket.exceptionHandler(e -> log.debug("connection from {}: {}", base.client(), e.toString()));
        if (socket.isSsl()) { // implicit TLS (port 465): the session starts encrypted
            SSLSession ssl = socket.sslSession();
            session.tlsStarted(ssl.getProtocol(), ssl.getCipherSuite());
        }
        idleTimer = context.owner().setPeriodic(Math.max(1000, idleTimeoutMs / 10), id -> checkIdle());
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

    /** A fresh parser drops whatever was buffered: used at start and after the TLS handshake. */
    private void newParser() {
        parser = RecordParser.newDelimited("\r\n", socket);
        parser.maxRecordSize(MAX_COMMAND_RECORD);
        parser.exceptionHandler(this::onTooLong);
        parser.handler(this::onRecord);
    }

    private void onRecord(Buffer record) {
        lastActivity = System.nanoTime();
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
            }
            case READ_CHUNK -> readChunk(session.pendingChunkSize());
            case QUEUE -> queue(session.takeAccepted());
            case SASL_COMPUTE -> computeSasl();
            case READ_SASL -> inSasl = true;
            case START_TLS -> throw new IllegalStateException("handled above");
            case CLOSE -> close();
        }
    }

    /** A SASL step may hash a password (Argon2id): never on the event loop. Reading waits meanwhile. */
    private void computeSasl() {
        parser.pause();
        context.owner().executeBlocking(session::runSasl, false).onComplete(ar -> {
            if (closed) {
                return;
            }
            perform(ar.succeeded() ? session.saslResult(ar.result())
                    : session.saslResult(new io.postbus.ingress.auth.SaslResult.Failure(
                            io.postbus.ingress.auth.SaslResult.Reason.MALFORMED)));
            parser.resume();
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
    }

    private void onChunk(Buffer octets) {
        inChunk = false;
        parser.maxRecordSize(MAX_COMMAND_RECORD);
        parser.delimitedMode("\r\n");
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
                perform(session.endOfData());
            }
        }
    }

    private void queue(Envelope.Accepted accepted) {
        parser.pause(); // pipelined commands wait until the message is safe
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
                parser.resume();
            }
        }));
    }

    /** RFC 3207 §4.2 and CVE-2011-0411: bytes the client pipelined after STARTTLS are thrown away. */
    private void startTls(Reply ready) {
        handshaking = true; // records already buffered in clear text are dropped, not answered
        // The current certificate each time: a renewal reaches STARTTLS without a restart.
        certificate.get().startTls(socket, Buffer.buffer(ready.toWire())).onComplete(ar -> {
            if (ar.failed()) {
                log.debug("TLS handshake with {} failed: {}", base.client(), ar.cause().toString());
                close();
                return;
            }
            SSLSession ssl = socket.sslSession();
            session.tlsStarted(ssl.getProtocol(), ssl.getCipherSuite());
            handshaking = false;
            newParser();
        });
    }

    private void onTooLong(Throwable t) {
        Reply r = inData
                ? Reply.of(552, "5.3.4", "Error: line too long")
                : Reply.of(500, "5.5.2", "Error: line too long");
        write(r);
        close();
    }

    private void checkIdle() {
        if (!closed && (System.nanoTime() - lastActivity) / 1_000_000 > idleTimeoutMs) {
            write(Reply.of(421, "4.4.2", "Error: timeout exceeded"));
            close();
        }
    }

    private void write(Reply reply) {
        if (!closed) {
            socket.write(Buffer.buffer(reply.toWire()));
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            context.owner().cancelTimer(idleTimer);
            socket.close(); // queued behind the reply written before it, so the reply still goes out
        }
    }

    static InetSocketAddress address(io.vertx.core.net.SocketAddress a) {
        return new InetSocketAddress(a.hostAddress(), a.port());
    }
}
