package io.postbus.ingress.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.postbus.ingress.tls.ServerCertificate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * Implicit TLS (port 465) behind a load balancer that passes TLS through and sends a PROXY header
 * first, in clear text (HAProxy {@code send-proxy}, AWS NLB): the listener is a plain server, the
 * header is read on the raw connection, then the server side of the TLS handshake starts here.
 *
 * <p>Why not {@code NetSocket.upgradeToSsl}, as STARTTLS does: Vert.x puts its TLS handler into
 * the pipeline only later (after resolving the SSL context and flushing the upgrade's write), and
 * the client does not wait for us — its ClientHello often arrives in the same segment as the
 * header (an NLB sends them together) or in that gap, and would be read as plain text and lost. So
 * the TLS handler goes in here, in the same event-loop turn that completed the header, and the
 * bytes that followed the header are fed through it. Vert.x finds it by type, so
 * {@code isSsl()}/{@code sslSession()} work as on a TLS server.
 *
 * <p>The certificate is the watcher's current one at each connection, like STARTTLS's, so a
 * renewal applies without a restart; the Netty context is rebuilt only when it changes.
 */
final class TlsAfterProxyHeader {
    /** Vert.x's default protocols: TLS 1.2 and 1.3 only. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private record Built(ServerCertificate certificate, SslContext context) {}

    private final Vertx vertx;
    private volatile Built built;

    TlsAfterProxyHeader(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Starts the handshake on {@code socket}, whose reading is paused by the caller until the
     * session is ready, with {@code early} (the bytes read behind the PROXY header) as its first
     * input. Must run on the socket's event loop, in the turn that read the header.
     */
    Future<Void> handshake(NetSocket socket, Buffer early, ServerCertificate certificate, Duration timeout) {
        Context context = vertx.getOrCreateContext();
        SslHandler tls;
        ChannelHandlerContext channel = ((NetSocketInternal) socket).channelHandlerContext();
        try {
            tls = context(certificate).newHandler(channel.alloc());
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        tls.setHandshakeTimeoutMillis(timeout.toMillis());
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst("ssl", tls);
        if (early.length() > 0) {
            pipeline.fireChannelRead(Unpooled.wrappedBuffer(early.getBytes()));
        }
        Promise<Void> done = Promise.promise();
        tls.handshakeFuture().addListener(f -> context.runOnContext(v -> {
            if (f.isSuccess()) {
                done.complete();
            } else {
                done.fail(f.cause());
            }
        }));
        return done.future();
    }

    private SslContext context(ServerCertificate certificate) throws Exception {
        Built b = built;
        if (b == null || b.certificate() != certificate) {
            SslContext ctx = SslContextBuilder.forServer(certificate.keyCertOptions().getKeyManagerFactory(vertx))
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
            b = new Built(certificate, ctx);
            built = b;
        }
        return b.context();
    }
}
