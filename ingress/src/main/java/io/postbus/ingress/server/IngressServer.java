package io.postbus.ingress.server;

import io.postbus.core.dns.DnsResolver;
import io.postbus.ingress.auth.AuthFailureLimiter;
import io.postbus.ingress.dnsbl.DnsblChecker;
import io.postbus.ingress.dnsbl.DnsblReply;
import io.postbus.ingress.smtp.ClientRateLimits;
import io.postbus.ingress.smtp.ConnectionLimits;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.Reply;
import io.postbus.ingress.smtp.SessionAuth;
import io.postbus.ingress.smtp.SessionSettings;
import io.postbus.ingress.smtp.SmtpSession;
import io.postbus.ingress.tls.CertificateSource;
import io.postbus.ingress.tls.CertificateWatcher;
import io.postbus.ingress.tls.ServerCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the SMTP listeners and hands each connection to an {@link SmtpConnection}. */
public final class IngressServer {
    private static final Logger log = LoggerFactory.getLogger(IngressServer.class);
    /** DNSBL zones are asked in parallel; a small shared pool bounds the threads. */
    private static final java.util.concurrent.Executor DNSBL_LOOKUPS = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "dnsbl-lookup");
        t.setDaemon(true);
        return t;
    });

    private final Vertx vertx;
    private final IngressConfig config;
    private final MessagePublisher publisher;
    private final Supplier<String> queueIds;
    private final Clock clock;
    private final List<NetServer> servers = new ArrayList<>();
    private final Map<ListenerKind, Integer> boundPorts = new LinkedHashMap<>();
    private final CertificateWatcher certificates;
    private final List<NetServer> implicitTls = new ArrayList<>();
    private final SessionAuth auth;
    private final ConnectionLimits limits;
    private final ClientRateLimits rates;
    private final DnsblChecker dnsbl;
    /** TLS options besides the certificate, for every handshake: port 465 and STARTTLS alike. */
    private final ServerSSLOptions tlsTemplate;
    private final TlsAfterProxyHeader tlsAfterProxy;

    public IngressServer(Vertx vertx, IngressConfig config, MessagePublisher publisher, Supplier<String> queueIds, Clock clock) {
        this(vertx, config, publisher, queueIds, clock, null);
    }

    /** @param dns for the DNSBL check at connect (ignored when no DNSBL sites are configured) */
    public IngressServer(Vertx vertx, IngressConfig config, MessagePublisher publisher, Supplier<String> queueIds, Clock clock,
                         DnsResolver dns) {
        this.dnsbl = dns == null || !config.dnsbl().enabled() ? null
                : new DnsblChecker(dns, config.dnsbl(), DNSBL_LOOKUPS);
        this.vertx = vertx;
        this.config = config;
        this.publisher = publisher;
        this.queueIds = queueIds;
        this.clock = clock;
        this.limits = new ConnectionLimits(config.limits().maxSessions(), config.limits().maxSessionsPerClient(),
                config.limits().maxConnectionsPerMinute(), config.relayPolicy(), clock);
        this.rates = new ClientRateLimits(config.limits().rates(), config.relayPolicy(), clock);
        this.tlsTemplate = new ServerSSLOptions().setSslHandshakeTimeout(config.timeouts().tlsHandshake().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        this.tlsAfterProxy = new TlsAfterProxyHeader(vertx);
        this.auth = config.users() == null ? null
                : new SessionAuth(config.users(), AuthFailureLimiter.withDefaults(clock));
        CertificateSource source = config.certificate() != null ? config.certificate()
                : new CertificateSource.SelfSigned(config.hostname());
        ServerCertificate certificate = source.load(clock); // a bad certificate stops the start, with the file named
        certificate.warnings().forEach(w -> log.warn("TLS certificate: {}", w.message()));
        this.certificates = new CertificateWatcher(vertx, certificate, config.certificateCheck(), clock,
                fresh -> Future.all(implicitTls.stream().map(server -> fresh.applyTo(server, tlsTemplate)).toList()));
    }

    public Future<Void> start() {
        List<Future<NetServer>> started = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
            // Port 465 is a TLS server, unless a PROXY header comes first: then TLS starts after it.
            boolean tlsServer = l.kind() == ListenerKind.SUBMISSIONS && !l.proxy().required();
            NetServerOptions opts = new NetServerOptions()
                    .setHost(l.host())
                    .setPort(l.port())
                    .setTcpNoDelay(true)
                    .setSsl(tlsServer)
                    .setSslHandshakeTimeout(config.timeouts().tlsHandshake().toMillis())
                    .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setKeyCertOptions(certificates.current().keyCertOptions());
            NetServer server = vertx.createNetServer(opts).connectHandler(s -> accept(l, s));
            servers.add(server);
            if (tlsServer) {
                implicitTls.add(server); // renewed certificates are pushed to it; STARTTLS takes them per upgrade
            }
            started.add(server.listen().onSuccess(srv -> {
                boundPorts.put(l.kind(), srv.actualPort());
                log.info("SMTP listener {} on {}:{}", l.kind(), l.host(), srv.actualPort());
            }));
        }
        certificates.start();
        return Future.all(started).mapEmpty();
    }

    /** The port each listener actually bound (useful when configured as 0). */
    public Map<ListenerKind, Integer> boundPorts() {
        return Map.copyOf(boundPorts);
    }

    private void accept(ListenerConfig listener, NetSocket socket) {
        if (listener.proxy().required() && listener.kind() == ListenerKind.SUBMISSIONS) {
            ProxyHeaderReader.read(vertx, socket, listener.proxy(), (client, rest) -> tlsAfterProxy(listener, socket, client, rest));
        } else if (listener.proxy().required()) {
            ProxyHeaderReader.read(vertx, socket, listener.proxy(), (client, rest) -> open(listener, socket, client, rest));
        } else {
            open(listener, socket, SmtpConnection.address(socket.remoteAddress()), Buffer.buffer());
        }
    }

    /** Port 465 behind a TLS-passthrough balancer: the bytes behind the header are the ClientHello, not a pregreet. */
    private void tlsAfterProxy(ListenerConfig listener, NetSocket socket, InetSocketAddress client, Buffer rest) {
        socket.pause(); // what the client sends once TLS is up waits for the session
        tlsAfterProxy.handshake(socket, rest, certificates.current(), config.timeouts().tlsHandshake()).onComplete(ar -> {
            if (ar.failed()) {
                log.debug("TLS handshake with {} (behind PROXY) failed: {}", client, ar.cause().toString());
                socket.close();
                return;
            }
            open(listener, socket, client, Buffer.buffer());
            socket.resume();
        });
    }

    private void open(ListenerConfig listener, NetSocket socket, InetSocketAddress client, Buffer early) {
        Optional<Reply> refused = limits.admit(client.getAddress());
        if (refused.isPresent()) {
            socket.write(Buffer.buffer(refused.get().toWire()));
            socket.close();
            return;
        }
        if (dnsbl == null || listener.kind() != ListenerKind.SMTP || config.relayPolicy().isTrusted(client.getAddress())) {
            start(listener, socket, client, early);
            return;
        }
        socket.pause(); // the client speaks after our banner; anything earlier waits for the pregreet check
        vertx.executeBlocking(() -> dnsbl.check(client.getAddress()), false).onComplete(ar -> {
            Optional<DnsblReply> reject = ar.succeeded() ? DnsblReply.forVerdict(ar.result()) : Optional.empty();
            if (reject.isPresent()) {
                log.info("DNSBL: {}", reject.get().text());
                limits.release(client.getAddress());
                socket.write(Buffer.buffer(Reply.of(reject.get().code(), reject.get().enhancedStatus(), reject.get().text()).toWire()));
                socket.close();
            } else {
                socket.resume();
                start(listener, socket, client, early);
            }
        });
    }

    private void start(ListenerConfig listener, NetSocket socket, InetSocketAddress client, Buffer early) {
        ListenerKind kind = listener.kind();
        SessionSettings settings = new SessionSettings(config.hostname(), kind, config.maxMessageSize(),
                config.maxRecipients(), config.maxErrors(), true, config.maxMessagesPerSession());
        SmtpSession session = new SmtpSession(settings, config.relayPolicy(), client.getAddress(), null, queueIds,
                () -> ZonedDateTime.now(clock.withZone(ZoneId.systemDefault())), auth, rates);
        ConnectionInfo info = new ConnectionInfo(kind, client, null, null, null, null);
        new SmtpConnection(socket, session, publisher, info, vertx.getOrCreateContext(), config.timeouts(), tlsTemplate,
                () -> limits.release(client.getAddress()), certificates::current)
                .start(listener.greetPause(), early);
    }

    public Future<Void> stop() {
        certificates.close();
        List<Future<Void>> closing = servers.stream().map(NetServer::close).toList();
        return Future.join(closing).mapEmpty();
    }
}
