package io.postbus.delivery.worker;

import io.postbus.core.dns.DnsResolver;
import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.route.DestinationTls;
import io.postbus.delivery.route.HostTls;
import io.postbus.delivery.route.MxHost;
import io.postbus.delivery.route.MxResolver;
import io.postbus.delivery.route.MxResult;
import io.postbus.delivery.route.NextHop;
import io.postbus.delivery.shaping.SiteEgress;
import io.postbus.delivery.shaping.SiteLimits;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.route.TlsPlan;
import io.postbus.delivery.net.VertxSmtpConnector;
import io.postbus.delivery.smtp.Async;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpConnection;
import io.postbus.delivery.smtp.SmtpDeliveryResult;
import io.postbus.delivery.smtp.SmtpEnvelope;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpPhase;
import io.postbus.delivery.smtp.SmtpReply;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsPolicy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import io.vertx.core.Vertx;

/**
 * One delivery attempt over SMTP (RFC 5321 §5): resolve the next hop or the MX hosts, then try
 * each host and address in order until every recipient has a final answer for this attempt.
 * A host that fails as a whole (refused, timed out, 4xx or even 5xx greeting, 421 mid-session)
 * sends us on to the next one, as Postfix does; recipients a server already answered keep that answer.
 *
 * <p>Connections are reused: after a message the connection is kept idle for
 * {@link #CONNECTION_CACHE_TIME} and the next message to the same host and address (of the same
 * shaping group) goes over it after an RSET, up to the group's messages-per-connection (Postfix
 * smtp_connection_cache_time_limit and smtp_connection_reuse_count_limit). A cached connection the
 * server has dropped meanwhile is replaced by a fresh one for the same message.
 *
 * <p>Each connection leaves from the group's source address and says its HELO name (the shaping
 * file's source-address= and helo-name=, {@link SiteEgress}), and authenticates with the host's
 * entry in the SASL password map, if any ({@link OutboundAuth}). Both are part of the cache key.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent, AutoCloseable {
    /** Postfix lmtp(8)'s port when the next hop names none (RFC 2033 §5 asks for a port other than 25). */
    static final int LMTP_PORT = 24;
    /** Postfix smtp_connection_cache_time_limit. */
    public static final Duration CONNECTION_CACHE_TIME = Duration.ofSeconds(2);

    private final MxResolver mx;
    private final SmtpClientConfig client;
    private final SiteShaper shaper;
    private final ConnectionCache cache;
    private final DestinationTls tls;
    private final OutboundTls outbound;
    private final OutboundAuth auth;
    private final VertxSmtpConnector connector;

    /** The default level for every destination, the JDK's trust store, no policy map, no MTA-STS. */
    public SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, DeliverySettings settings) {
        this(vertx, dns, settings, OutboundTls.defaults(), null);
    }

    /** @param shaper gives messages-per-connection and hears of opened and idle connections; null for defaults */
    public SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, DeliverySettings settings, SiteShaper shaper) {
        this(vertx, dns, settings, OutboundTls.defaults(), shaper);
    }

    /** With trust anchors, a TLS policy map and MTA-STS as configured. */
    public SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, DeliverySettings settings, OutboundTls outbound) {
        this(vertx, dns, settings, outbound, null);
    }

    /** With outbound TLS as configured and the worker's traffic shaper (null for defaults). */
    public SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, DeliverySettings settings, OutboundTls outbound,
                             SiteShaper shaper) {
        this(vertx, dns, settings, outbound, OutboundAuth.none(), shaper);
    }

    /** With outbound TLS, client credentials for relays, and the worker's traffic shaper (null for defaults). */
    public SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, DeliverySettings settings, OutboundTls outbound,
                             OutboundAuth auth, SiteShaper shaper) {
        this(vertx, dns, config(settings).withTlsPolicy(settings.tlsPolicy()).withTlsClient(outbound.client()),
                outbound.destinations(settings.tlsPolicy(), dns), outbound, auth, shaper, CONNECTION_CACHE_TIME);
    }

    /** One fixed TLS level for every destination (the client's), no policy map, no MTA-STS: for tests. */
    SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, SmtpClientConfig client, SiteShaper shaper, Duration cacheTime) {
        this(vertx, dns, client, OutboundAuth.none(), shaper, cacheTime);
    }

    /** As above, with client credentials: for tests. */
    SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, SmtpClientConfig client, OutboundAuth auth, SiteShaper shaper,
                      Duration cacheTime) {
        this(vertx, dns, client, DestinationTls.fixed(client.tlsPolicy()), OutboundTls.defaults(), auth, shaper, cacheTime);
    }

    private SmtpDeliveryAgent(Vertx vertx, DnsResolver dns, SmtpClientConfig client, DestinationTls tls,
                              OutboundTls outbound, OutboundAuth auth, SiteShaper shaper, Duration cacheTime) {
        this.connector = new VertxSmtpConnector(vertx);
        this.mx = new MxResolver(dns, new SecureRandom());
        this.client = client;
        this.tls = tls;
        this.outbound = outbound;
        this.auth = auth;
        this.shaper = shaper;
        this.cache = new ConnectionCache(cacheTime, shaper, System::nanoTime);
    }

    /**
     * The same agent speaking LMTP (RFC 2033) to the next hop, which must be given: never an MX
     * lookup, port 24 unless the hop names one, and no STARTTLS (Postfix's lmtp_tls_security_level
     * is empty by default: the mailbox server is usually on the same host or network).
     */
    public static SmtpDeliveryAgent lmtp(Vertx vertx, DnsResolver dns, DeliverySettings settings) {
        return lmtp(vertx, dns, settings, null);
    }

    public static SmtpDeliveryAgent lmtp(Vertx vertx, DnsResolver dns, DeliverySettings settings, SiteShaper shaper) {
        return new SmtpDeliveryAgent(vertx, dns, config(settings).withTlsPolicy(TlsPolicy.NONE)
                .withProtocol(SmtpClientConfig.Protocol.LMTP), DestinationTls.fixed(TlsPolicy.NONE), OutboundTls.defaults(),
                OutboundAuth.none(), shaper, CONNECTION_CACHE_TIME);
    }

    private static SmtpClientConfig config(DeliverySettings settings) {
        var cmd = settings.commandTimeout();
        SmtpTimeouts timeouts = new SmtpTimeouts(settings.connectTimeout(), cmd, cmd, cmd, cmd, cmd, cmd,
                cmd.multipliedBy(2), cmd);
        return SmtpClientConfig.defaults(settings.heloName()).withTimeouts(timeouts);
    }

    /**
     * Blocking, on the caller's (work pool) thread: {@link #attempt}, then waiting for its report.
     * The phases' timeouts bound the wait; an interrupt (the stage cancelling an attempt that
     * outlived its batch) closes nothing it should not: the attempt goes on to its end on the
     * event loop, and this thread reports the recipients deferred.
     */
    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        long start = System.nanoTime();
        try {
            return attempt(request).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                    new RemoteReply(451, "4.4.2", "delivery attempt cancelled while waiting for " + request.destination()),
                    millisSince(start));
        } catch (ExecutionException e) {
            // Remote trouble is a report, never an exception: what arrives here is a bug, thrown as it was.
            Throwable cause = Async.cause(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("delivery attempt failed unexpectedly", cause);
        }
    }

    /**
     * One attempt, non-blocking from the moment the first connection is made: resolving the next
     * hop and the TLS plan (DNS, an MTA-STS fetch) blocks, so call it on a thread allowed to wait;
     * the conversations then run on the Vert.x event loops and the report completes there.
     */
    public CompletionStage<DeliveryReport> attempt(DeliveryRequest request) {
        long start = System.nanoTime();
        NextHop hop;
        try {
            hop = client.protocol() == SmtpClientConfig.Protocol.LMTP ? lmtpHop(request.nextHop())
                    : request.nextHop() != null ? NextHop.parse(request.nextHop()) : NextHop.forDomain(request.destination());
        } catch (IllegalArgumentException e) {
            // A routing table mistake: the postmaster fixes it while the mail waits (Postfix: 4.3.5).
            return done(DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                    new RemoteReply(451, "4.3.5", "bad next hop: " + e.getMessage()), millisSince(start)));
        }
        MxResult route = mx.resolve(hop);
        if (route instanceof MxResult.Failed f) {
            RemoteReply reply = new RemoteReply(f.failure().replyCode(), f.failure().status().toString(), f.detail());
            return done(DeliveryReport.all(request, f.failure().isTransient() ? DeliveryReport.Outcome.DEFERRED
                    : DeliveryReport.Outcome.BOUNCED, reply, millisSince(start)));
        }
        outbound.refresh();
        auth.refresh();
        TlsPlan plan = tls.plan(hop);
        if (plan instanceof TlsPlan.Misconfigured m) {
            return done(DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                    new RemoteReply(451, "4.3.5", m.detail()), m.detail(), millisSince(start)));
        }
        TlsPlan.Use use = (TlsPlan.Use) plan;
        List<MxHost> hosts = ((MxResult.Hosts) route).hosts();
        Optional<StsPolicy> enforced = use.stsPolicy(StsPolicy.Mode.ENFORCE);
        if (enforced.isPresent()) {
            // RFC 8461 §4.1/§4.2: in enforce mode, MX hosts the policy does not list are not tried.
            List<MxHost> allowed = hosts.stream().filter(h -> enforced.get().allows(h.name())).toList();
            if (allowed.isEmpty()) {
                String detail = "MTA-STS policy of " + hop.host() + " (enforce) lists none of the MX hosts "
                        + hosts.stream().map(MxHost::name).toList();
                return done(DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                        new RemoteReply(451, "4.7.5", detail), use.describe() + "; " + detail, millisSince(start)));
            }
            hosts = allowed;
        }
        SiteEgress egress = shaper == null ? SiteEgress.NONE : shaper.egress(request.group());
        SmtpClientConfig config = client;
        if (egress.heloName().isPresent()) {
            config = config.withHeloName(egress.heloName().get());
        }
        // Each host's level (DANE: its TLSA records) is looked up here, on the thread allowed to
        // wait for DNS, not on the event loop the walk continues on after the first host.
        List<HostTls> hostTls = new ArrayList<>(hosts.size());
        for (MxHost host : hosts) {
            hostTls.add(tls.forHost(use, hop, host));
        }
        return new HostWalk(this::send, request, hop, use, hosts, hostTls, egress, config, auth.map(), start)
                .fromHost(0);
    }

    /**
     * One message over a cached connection to this exact host and address, or a new one. A cached
     * connection that fails before any recipient was answered (the server dropped it while idle:
     * the RSET fails) is closed and the message goes over a fresh connection instead.
     */
    private CompletionStage<SmtpDeliveryResult> send(ConnectionCache.Key key, SmtpEnvelope envelope, byte[] message,
                                                     SmtpClientConfig config) {
        Optional<ConnectionCache.Cached> cached = cache.take(key);
        if (cached.isEmpty()) {
            return sendOverNew(key, envelope, message, config);
        }
        SmtpConnection c = cached.get().connection();
        return c.send(envelope, message).handle((r, failure) -> {
            if (failure == null) {
                return done(parkOrClose(key, c, cached.get().messagesSent() + 1, r));
            }
            c.close();
            Throwable cause = Async.cause(failure);
            if (cause instanceof SmtpException e
                    && (!e.decidedRecipients().isEmpty() || e.reply().isPresent() && e.phase() != SmtpPhase.RSET)) {
                return CompletableFuture.<SmtpDeliveryResult>failedStage(e);
            }
            return cause instanceof SmtpException ? sendOverNew(key, envelope, message, config)
                    : CompletableFuture.<SmtpDeliveryResult>failedStage(cause);
        }).thenCompose(next -> next);
    }

    private CompletionStage<SmtpDeliveryResult> sendOverNew(ConnectionCache.Key key, SmtpEnvelope envelope,
                                                            byte[] message, SmtpClientConfig config) {
        return SmtpConnection.open(connector, key.host(), key.address(), config).thenCompose(c -> {
            if (shaper != null) {
                shaper.connectionOpened(key.group());
            }
            return c.send(envelope, message).whenComplete((r, e) -> {
                if (e != null) {
                    c.close();
                }
            }).thenApply(r -> parkOrClose(key, c, 1, r));
        });
    }

    /** Parks the connection for the next message unless it has carried its share or is broken. */
    private SmtpDeliveryResult parkOrClose(ConnectionCache.Key key, SmtpConnection c, int messagesSent,
                                           SmtpDeliveryResult r) {
        int limit = (shaper == null ? SiteLimits.DEFAULTS : shaper.limits(key.group())).messagesPerConnection();
        if (c.isUsable() && (limit == 0 || messagesSent < limit)) {
            cache.park(key, c, messagesSent);
        } else {
            c.close();
        }
        return r;
    }

    /** Closes the idle connections (QUIT) and stops the reaper. */
    @Override
    public void close() {
        cache.close();
        connector.close();
    }

    /** Idle connections kept for reuse now: for tests. */
    int idleConnections() {
        return cache.idleCount();
    }

    /**
     * An LMTP next hop as the router writes it ({@code [host]:port}, {@code host:port}, {@code host},
     * an {@code inet:} prefix allowed): the host's own addresses, never its MX.
     */
    static NextHop lmtpHop(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("an LMTP route needs a next hop");
        }
        String s = spec.trim();
        s = s.startsWith("inet:") ? s.substring("inet:".length()) : s;
        if (s.startsWith("unix:")) {
            throw new IllegalArgumentException("LMTP over a UNIX-domain socket is not supported: " + spec);
        }
        NextHop parsed = NextHop.parse(s);
        int close = s.indexOf(']');
        boolean hasPort = s.startsWith("[") ? close >= 0 && close + 1 < s.length() : s.indexOf(':') >= 0;
        return new NextHop(parsed.host(), hasPort ? parsed.port() : LMTP_PORT, false);
    }

    static RemoteReply remote(SmtpReply r) {
        return new RemoteReply(r.code(), r.enhancedStatus().map(Object::toString).orElse(null), r.text());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

}
