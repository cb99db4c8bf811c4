package io.postbus.delivery.net;

import io.postbus.delivery.smtp.MalformedReplyException;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpFailures;
import io.postbus.delivery.smtp.SmtpPhase;
import io.postbus.delivery.smtp.SmtpReply;
import io.postbus.delivery.smtp.SmtpReplyFramer;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.SmtpTransport;
import io.postbus.delivery.smtp.TlsClient;
import io.postbus.delivery.smtp.TlsInfo;
import io.postbus.delivery.smtp.TlsPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link SmtpTransport} on a Vert.x {@link NetSocket}. Everything runs on the socket's event loop
 * (calls from other threads hop onto it), so the state below needs no locks.
 *
 * <p>Reads: received bytes go into a {@link SmtpReplyFramer}; a read takes the next complete reply
 * at once if it is there, else waits for it under a timer of the phase's timeout. Writes: one
 * buffer for a pipelined group or a message up to {@link #PIECE}; a larger message goes in pieces,
 * each handed over only while the socket's write queue has room (else on its drain), so a server
 * that stops reading cannot make us hold a whole message in the network buffers; a timer of the
 * phase's timeout covers the whole write. A timer that fires closes the socket.
 */
final class VertxSmtpTransport implements SmtpTransport {

    /** Large enough for any pipelined group and most messages in one write. */
    static final int PIECE = 64 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    private final String host;
    private final InetSocketAddress address;
    private final SmtpTimeouts timeouts;
    private final VertxSmtpConnector connector;

    private SmtpReplyFramer framer = new SmtpReplyFramer();
    private boolean closed;
    /** Why the socket closed when we closed it (a timer), or what the network reported. */
    private IOException closedBecause;
    private Pending<SmtpReply> reading;
    private Pending<Void> writing;
    private byte[] outgoing;
    private int sentUpTo;
    private volatile long handedOver;
    private TlsInfo tls;

    /** A stage in progress, its phase and its timer. */
    private static final class Pending<T> {
        final CompletableFuture<T> stage;
        final SmtpPhase phase;
        long timer = -1;

        Pending(CompletableFuture<T> stage, SmtpPhase phase) {
            this.stage = stage;
            this.phase = phase;
        }
    }

    VertxSmtpTransport(Vertx vertx, Context context, NetSocket socket, String host, InetSocketAddress address,
                       SmtpTimeouts timeouts, VertxSmtpConnector connector) {
        this.vertx = vertx;
        this.context = context;
        this.socket = socket;
        this.host = host;
        this.address = address;
        this.timeouts = timeouts;
        this.connector = connector;
        socket.handler(this::received);
        socket.exceptionHandler(this::broken);
        socket.closeHandler(v -> closed());
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        io.vertx.core.net.SocketAddress local = socket.localAddress();
        return local == null || local.hostAddress() == null ? Optional.empty()
                : Optional.of(new InetSocketAddress(local.hostAddress(), local.port()));
    }

    @Override
    public CompletionStage<SmtpReply> read(SmtpPhase phase) {
        CompletableFuture<SmtpReply> stage = new CompletableFuture<>();
        onLoop(() -> {
            if (reading != null) {
                stage.completeExceptionally(new IllegalStateException("a read is already waiting"));
                return;
            }
            reading = new Pending<>(stage, phase);
            deliver();
            if (reading != null && !closed) {
                Pending<SmtpReply> r = reading;
                r.timer = vertx.setTimer(timeouts.forPhase(phase).toMillis(), id -> {
                    if (reading == r) {
                        timedOut();
                    }
                });
            }
        });
        return stage;
    }

    @Override
    public CompletionStage<Void> write(byte[] bytes, SmtpPhase phase) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        onLoop(() -> {
            if (closed) {
                stage.completeExceptionally(failure(phase, closedBecause != null ? closedBecause
                        : new IOException("connection closed")));
                return;
            }
            Pending<Void> w = new Pending<>(stage, phase);
            writing = w;
            outgoing = bytes;
            sentUpTo = 0;
            w.timer = vertx.setTimer(timeouts.forPhase(phase).toMillis(), id -> {
                if (writing == w) {
                    timedOut();
                }
            });
            pump();
        });
        return stage;
    }

    /** Hands over pieces while the write queue has room; the last piece's completion ends the write. */
    private void pump() {
        Pending<Void> w = writing;
        while (w != null && writing == w && sentUpTo < outgoing.length && !socket.writeQueueFull()) {
            int n = Math.min(PIECE, outgoing.length - sentUpTo);
            Buffer piece = Buffer.buffer(n == outgoing.length ? outgoing : Arrays.copyOfRange(outgoing, sentUpTo,
                    sentUpTo + n));
            sentUpTo += n;
            handedOver += n;
            if (sentUpTo == outgoing.length) {
                socket.drainHandler(null);
                socket.write(piece).onComplete(ar -> written(w, ar));
                return;
            }
            socket.write(piece);
        }
        if (w != null && writing == w && sentUpTo < outgoing.length) {
            socket.drainHandler(v -> pump());
        }
    }

    private void written(Pending<Void> w, AsyncResult<Void> ar) {
        if (writing != w) {
            return; // already failed by a timer or the close
        }
        writing = null;
        outgoing = null;
        vertx.cancelTimer(w.timer);
        if (ar.succeeded()) {
            w.stage.complete(null);
        } else {
            fail(w, ar.cause());
            socket.close();
        }
    }

    @Override
    public CompletionStage<Void> startTls(TlsClient tls, TlsPolicy policy) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        onLoop(() -> {
            // Whatever came after the 220 came before TLS: never a reply to anything sent through it.
            framer = new SmtpReplyFramer();
            if (closed) {
                stage.completeExceptionally(failure(SmtpPhase.TLS_HANDSHAKE, new EOFException("connection closed")));
                return;
            }
            long millis = timeouts.starttls().toMillis();
            Pending<Void> handshake = new Pending<>(stage, SmtpPhase.TLS_HANDSHAKE);
            writing = handshake; // a timer or a close fails it like a write
            handshake.timer = vertx.setTimer(millis, id -> {
                if (writing == handshake) {
                    timedOut();
                }
            });
            socket.upgradeToSsl(connector.tlsOptions(tls, policy, millis), TlsClient.serverName(host).orElse(null))
                    .onComplete(ar -> {
                        if (writing != handshake) {
                            return;
                        }
                        writing = null;
                        vertx.cancelTimer(handshake.timer);
                        if (ar.succeeded()) {
                            // Vert.x may put the TLS handler in place a moment after upgradeToSsl;
                            // plain text that slipped past it meanwhile is no reply either.
                            framer = new SmtpReplyFramer();
                            this.tls = TlsClient.describe(socket.sslSession());
                            stage.complete(null);
                        } else {
                            fail(handshake, ar.cause());
                            socket.close();
                        }
                    });
        });
        return stage;
    }

    /** Octets given to the socket so far: for the back-pressure test. */
    long handedOver() {
        return handedOver;
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public void close() {
        onLoop(() -> {
            if (!closed) {
                socket.close();
            }
        });
    }

    private void received(Buffer data) {
        framer.feed(data.getBytes());
        deliver();
    }

    /** Completes the waiting read if its reply (or a broken one) is there. */
    private void deliver() {
        Pending<SmtpReply> r = reading;
        if (r == null) {
            return;
        }
        SmtpReply reply;
        try {
            reply = framer.next();
        } catch (MalformedReplyException e) {
            reading = null;
            vertx.cancelTimer(r.timer);
            r.stage.completeExceptionally(SmtpFailures.malformed(host, address, r.phase, e));
            socket.close();
            return;
        }
        if (reply != null) {
            reading = null;
            vertx.cancelTimer(r.timer);
            r.stage.complete(reply);
        } else if (closed) {
            reading = null;
            vertx.cancelTimer(r.timer);
            r.stage.completeExceptionally(failure(r.phase, closedBecause != null ? closedBecause
                    : framer.endOfStream()));
        }
    }

    /** A phase's timer ran out: the phase fails as a timeout and the connection is given up. */
    private void timedOut() {
        closedBecause = new SocketTimeoutException("timed out");
        Pending<SmtpReply> r = reading;
        Pending<Void> w = writing;
        reading = null;
        writing = null;
        if (r != null) {
            r.stage.completeExceptionally(failure(r.phase, closedBecause));
        }
        if (w != null) {
            w.stage.completeExceptionally(failure(w.phase, closedBecause));
        }
        socket.close();
    }

    private void broken(Throwable e) {
        if (closedBecause == null) {
            closedBecause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private void closed() {
        closed = true;
        deliver();
        Pending<Void> w = writing;
        if (w != null) {
            writing = null;
            vertx.cancelTimer(w.timer);
            w.stage.completeExceptionally(failure(w.phase, closedBecause != null ? closedBecause
                    : new EOFException("connection closed by server")));
        }
    }

    private void fail(Pending<?> p, Throwable cause) {
        p.stage.completeExceptionally(failure(p.phase, closedBecause != null ? closedBecause
                : cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause)));
    }

    private SmtpException failure(SmtpPhase phase, IOException e) {
        return SmtpFailures.during(host, address, timeouts, phase, e);
    }

    private void onLoop(Runnable action) {
        if (Context.isOnEventLoopThread() && Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
