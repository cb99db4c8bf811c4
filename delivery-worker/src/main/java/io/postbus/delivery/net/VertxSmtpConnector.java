package io.postbus.delivery.net;

import io.netty.channel.ConnectTimeoutException;
import io.postbus.delivery.smtp.SmtpConnector;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpFailures;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.SmtpTransport;
import io.postbus.delivery.smtp.TlsClient;
import io.postbus.delivery.smtp.TlsPolicy;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Opens SMTP transports on Vert.x {@link NetClient}s: one client per source address and connect
 * timeout (both are client options in Vert.x), made on first use and kept, with TCP_NODELAY on.
 * The conversations then run on the event loops; no thread waits for a socket.
 */
public final class VertxSmtpConnector implements SmtpConnector, AutoCloseable {

    private record ClientKey(Optional<InetAddress> source, int connectMillis) {}

    private record TlsKey(TlsClient client, boolean enforce, long handshakeMillis) {}

    private final Vertx vertx;
    private final ConcurrentMap<ClientKey, NetClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentMap<TlsKey, ClientSSLOptions> tlsOptions = new ConcurrentHashMap<>();

    public VertxSmtpConnector(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public CompletionStage<SmtpTransport> connect(String host, InetSocketAddress address, Optional<InetAddress> source,
                                                  SmtpTimeouts timeouts) {
        NetClient client = clients.computeIfAbsent(new ClientKey(source, (int) timeouts.connect().toMillis()),
                k -> vertx.createNetClient(new NetClientOptions()
                        .setConnectTimeout(k.connectMillis())
                        .setTcpNoDelay(true)
                        .setLocalAddress(k.source().map(InetAddress::getHostAddress).orElse(null))));
        CompletableFuture<SmtpTransport> connected = new CompletableFuture<>();
        // Connect from the context the socket will live on, so the completion (and the handlers
        // it sets) runs on its event loop before the first bytes are read; called from another
        // thread, the future could complete before onComplete and run it there, too late.
        Context context = vertx.getOrCreateContext();
        context.runOnContext(start -> client.connect(SocketAddress.inetSocketAddress(address)).onComplete(ar -> {
            if (ar.succeeded()) {
                connected.complete(new VertxSmtpTransport(vertx, context, ar.result(), host, address, timeouts, this));
            } else {
                connected.completeExceptionally(connectFailure(host, address, source, ar.cause()));
            }
        }));
        return connected;
    }

    private static SmtpException connectFailure(String host, InetSocketAddress address, Optional<InetAddress> source,
                                                Throwable e) {
        // Netty annotates a socket exception with the address: the BindException is its cause.
        if (source.isPresent() && (e instanceof BindException || e.getCause() instanceof BindException)) {
            return SmtpFailures.sourceAddress(host, address, source.get(), e);
        }
        SmtpException.Kind kind;
        // Netty's ConnectTimeoutException is a ConnectException too: ask for it first.
        if (e instanceof ConnectTimeoutException) {
            kind = SmtpException.Kind.CONNECT_TIMEOUT;
        } else if (e instanceof NoRouteToHostException) {
            kind = SmtpException.Kind.UNREACHABLE;
        } else if (e instanceof ConnectException) {
            kind = SmtpException.Kind.CONNECTION_REFUSED;
        } else {
            kind = SmtpException.Kind.CONNECTION_LOST;
        }
        return SmtpFailures.connect(host, address, kind, e);
    }

    /**
     * The TLS options for a STARTTLS at {@code policy}: the client's checking trust manager, and
     * endpoint identification "HTTPS" so the JDK matches the certificate against the name the
     * engine is made for (the MX host name, {@code upgradeToSsl}'s server name). Kept per trust
     * manager, so Vert.x builds one SSL context for each, not one per connection. A DANE client
     * belongs to one host's TLSA records ({@link TlsClient#isPerHost}): its options are made per
     * connection and not kept, or the map would grow with every DANE delivery.
     */
    ClientSSLOptions tlsOptions(TlsClient tls, TlsPolicy policy, long handshakeMillis) {
        if (tls.isPerHost()) {
            return options(tls, policy, handshakeMillis);
        }
        return tlsOptions.computeIfAbsent(new TlsKey(tls, policy.requiresVerifiedPeer(), handshakeMillis),
                k -> options(tls, policy, handshakeMillis));
    }

    private static ClientSSLOptions options(TlsClient tls, TlsPolicy policy, long handshakeMillis) {
        return new ClientSSLOptions()
                .setTrustOptions(TrustOptions.wrap(tls.trustManager(policy)))
                .setHostnameVerificationAlgorithm("HTTPS")
                .setSslHandshakeTimeout(handshakeMillis)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        clients.values().forEach(NetClient::close);
        clients.clear();
    }
}
