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
import io.postbus.delivery.route.SaslPasswordMap;
import io.postbus.delivery.shaping.SiteEgress;
import io.postbus.delivery.shaping.SiteLimits;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.route.TlsPlan;
import io.postbus.delivery.smtp.RecipientResult;
import io.postbus.delivery.smtp.SaslCredentials;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpConnection;
import io.postbus.delivery.smtp.SmtpDeliveryResult;
import io.postbus.delivery.smtp.SmtpEnvelope;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpPhase;
import io.postbus.delivery.smtp.SmtpReply;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsInfo;
import io.postbus.delivery.smtp.TlsPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The default level for every destination, the JDK's trust store, no policy map, no MTA-STS. */
    public SmtpDeliveryAgent(DnsResolver dns, DeliverySettings settings) {
        this(dns, settings, OutboundTls.defaults(), null);
    }

    /** @param shaper gives messages-per-connection and hears of opened and idle connections; null for defaults */
    public SmtpDeliveryAgent(DnsResolver dns, DeliverySettings settings, SiteShaper shaper) {
        this(dns, settings, OutboundTls.defaults(), shaper);
    }

    /** With trust anchors, a TLS policy map and MTA-STS as configured. */
    public SmtpDeliveryAgent(DnsResolver dns, DeliverySettings settings, OutboundTls outbound) {
        this(dns, settings, outbound, null);
    }

    /** With outbound TLS as configured and the worker's traffic shaper (null for defaults). */
    public SmtpDeliveryAgent(DnsResolver dns, DeliverySettings settings, OutboundTls outbound, SiteShaper shaper) {
        this(dns, settings, outbound, OutboundAuth.none(), shaper);
    }

    /** With outbound TLS, client credentials for relays, and the worker's traffic shaper (null for defaults). */
    public SmtpDeliveryAgent(DnsResolver dns, DeliverySettings settings, OutboundTls outbound, OutboundAuth auth,
                             SiteShaper shaper) {
        this(dns, config(settings).withTlsPolicy(settings.tlsPolicy()).withTlsClient(outbound.client()),
                outbound.destinations(settings.tlsPolicy(), dns), outbound, auth, shaper, CONNECTION_CACHE_TIME);
    }

    /** One fixed TLS level for every destination (the client's), no policy map, no MTA-STS: for tests. */
    SmtpDeliveryAgent(DnsResolver dns, SmtpClientConfig client, SiteShaper shaper, Duration cacheTime) {
        this(dns, client, OutboundAuth.none(), shaper, cacheTime);
    }

    /** As above, with client credentials: for tests. */
    SmtpDeliveryAgent(DnsResolver dns, SmtpClientConfig client, OutboundAuth auth, SiteShaper shaper, Duration cacheTime) {
        this(dns, client, DestinationTls.fixed(client.tlsPolicy()), OutboundTls.defaults(), auth, shaper, cacheTime);
    }

    private SmtpDeliveryAgent(DnsResolver dns, SmtpClientConfig client, DestinationTls tls, OutboundTls outbound,
                              OutboundAuth auth, SiteShaper shaper, Duration cacheTime) {
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
    public static SmtpDeliveryAgent lmtp(DnsResolver dns, DeliverySettings settings) {
        return lmtp(dns, settings, null);
    }

    public static SmtpDeliveryAgent lmtp(DnsResolver dns, DeliverySettings settings, SiteShaper shaper) {
        return new SmtpDeliveryAgent(dns, config(settings).withTlsPolicy(TlsPolicy.NONE)
                .withProtocol(SmtpClientConfig.Protocol.LMTP), DestinationTls.fixed(TlsPolicy.NONE), OutboundTls.defaults(),
                OutboundAuth.none(), shaper, CONNECTION_CACHE_TIME);
    }

    private static SmtpClientConfig config(DeliverySettings settings) {
        var cmd = settings.commandTimeout();
        SmtpTimeouts timeouts = new SmtpTimeouts(settings.connectTimeout(), cmd, cmd, cmd, cmd, cmd, cmd,
                cmd.multipliedBy(2), cmd);
        return SmtpClientConfig.defaults(settings.heloName()).withTimeouts(timeouts);
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        long start = System.nanoTime();
        NextHop hop;
        try {
            hop = client.protocol() == SmtpClientConfig.Protocol.LMTP ? lmtpHop(request.nextHop())
                    : request.nextHop() != null ? NextHop.parse(request.nextHop()) : NextHop.forDomain(request.destination());
        } catch (IllegalArgumentException e) {
            // A routing table mistake: the postmaster fixes it while the mail waits (Postfix: 4.3.5).
            return DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                    new RemoteReply(451, "4.3.5", "bad next hop: " + e.getMessage()), millisSince(start));
        }
        MxResult route = mx.resolve(hop);
        if (route instanceof MxResult.Failed f) {
            RemoteReply reply = new RemoteReply(f.failure().replyCode(), f.failure().status().toString(), f.detail());
            return DeliveryReport.all(request, f.failure().isTransient() ? DeliveryReport.Outcome.DEFERRED
                    : DeliveryReport.Outcome.BOUNCED, reply, millisSince(start));
        }
        outbound.refresh();
        auth.refresh();
        TlsPlan plan = tls.plan(hop);
        if (plan instanceof TlsPlan.Misconfigured m) {
            return DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED, new RemoteReply(451, "4.3.5", m.detail()),
                    m.detail(), millisSince(start));
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
                return DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED, new RemoteReply(451, "4.7.5", detail),
                        use.describe() + "; " + detail, millisSince(start));
            }
            hosts = allowed;
        }
        SiteEgress egress = shaper == null ? SiteEgress.NONE : shaper.egress(request.group());
        SmtpClientConfig config = client;
        if (egress.heloName().isPresent()) {
            config = config.withHeloName(egress.heloName().get());
        }
        SaslPasswordMap passwords = auth.map();
        LinkedHashSet<String> pending = new LinkedHashSet<>();
        request.recipients().forEach(r -> pending.add(r.address()));
        Map<String, DeliveryReport.RecipientResult> decided = new LinkedHashMap<>();
        HostFailure last = null;
        RemoteReply misconfigured = null;
        for (MxHost host : hosts) {
            Optional<SaslCredentials> sasl = Optional.empty();
            Optional<SaslPasswordMap.Match> entry = passwords.lookup(hop, host.name());
            if (entry.isPresent() && entry.get() instanceof SaslPasswordMap.Match.Invalid bad) {
                // Sending without the credentials the postmaster meant to use would only earn a
                // relay refusal; defer until the table is fixed, as for a broken TLS policy entry.
                misconfigured = new RemoteReply(451, "4.3.5", "SASL password map " + bad.table() + " key " + bad.key()
                        + ": " + bad.problem());
                break;
            } else if (entry.isPresent()) {
                sasl = Optional.of(((SaslPasswordMap.Match.Credentials) entry.get()).credentials());
            }
            HostTls hostTls = tls.forHost(use, hop, host);
            if (hostTls instanceof HostTls.Skip skip) {
                // RFC 7672 §2.2: DANE is required here but cannot be had; like a failed handshake (4.7.5).
                last = new HostFailure(new RemoteReply(451, "4.7.5", skip.detail()), false, host.name(), null);
                continue;
            }
            HostTls.Connect hostLevel = (HostTls.Connect) hostTls;
            SmtpClientConfig hostConfig = config.withTlsPolicy(hostLevel.level());
            if (hostLevel.dane().isPresent()) {
                hostConfig = hostConfig.withTlsClient(config.tlsClient().withDane(hostLevel.dane().get()));
            }
            for (InetSocketAddress address : host.socketAddresses()) {
                Optional<InetAddress> source = egress.sourceFor(address.getAddress(), request.destination());
                try {
                    SmtpDeliveryResult r = send(new ConnectionCache.Key(request.group(), host.name(), address,
                                    hostLevel.cacheLevel(), source, sasl.map(SaslCredentials::username)),
                            SmtpEnvelopes.of(request, pending), request.message(),
                            hostConfig.withSourceAddress(source).withSasl(sasl));
                    SmtpReply closing = null;
                    for (RecipientResult rr : r.recipients()) {
                        if (rr.reply().isClosing()) {
                            // RFC 5321 §3.8: 421 is the server closing the session, not an answer about
                            // this recipient: like a 4xx greeting, it sends the recipient to the next host.
                            closing = rr.reply();
                        } else {
                            decided.put(rr.recipient(), convert(rr));
                            pending.remove(rr.recipient());
                        }
                    }
                    if (pending.isEmpty() || closing == null) {
                        return report(request, decided, r.remoteHost(), r.remoteAddress(), r.tls(),
                                TlsDetails.delivered(use, hostLevel, host.name(), r.tls()), start);
                    }
                    last = new HostFailure(remote(closing), false, r.remoteHost(), r.remoteAddress());
                } catch (SmtpException e) {
                    last = new HostFailure(describe(e), e.isPermanent() && e.reply().isPresent(), e.remoteHost(),
                            e.remoteAddress());
                    for (RecipientResult rr : e.decidedRecipients()) {
                        decided.put(rr.recipient(), convert(rr));
                        pending.remove(rr.recipient());
                    }
                    if (pending.isEmpty()) {
                        return report(request, decided, e.remoteHost(), e.remoteAddress(), Optional.empty(),
                                use.describe(), start);
                    }
                }
            }
        }
        // Every host failed as a whole: the last failure decides for the recipients still open.
        RemoteReply reply = misconfigured != null ? misconfigured
                : last == null ? new RemoteReply(451, "4.4.4", "no usable MX host for " + hop) : last.reply();
        DeliveryReport.Outcome outcome = misconfigured == null && last != null && last.bounce()
                ? DeliveryReport.Outcome.BOUNCED : DeliveryReport.Outcome.DEFERRED;
        for (String rcpt : pending) {
            decided.put(rcpt, new DeliveryReport.RecipientResult(rcpt, outcome, reply));
        }
        return report(request, decided, last == null ? null : last.host(), last == null ? null : last.address(),
                Optional.empty(), use.describe(), start);
    }

    /**
     * Why a host left recipients open: its reply (or a Postfix-style one for a failure without a
     * reply), and whether that bounces the recipients should it be the last host tried.
     */
    private record HostFailure(RemoteReply reply, boolean bounce, String host, InetSocketAddress address) {}

    /**
     * One message over a cached connection to this exact host and address, or a new one. A cached
     * connection that fails before any recipient was answered (the server dropped it while idle:
     * the RSET fails) is closed and the message goes over a fresh connection instead.
     */
    private SmtpDeliveryResult send(ConnectionCache.Key key, SmtpEnvelope envelope, byte[] message, SmtpClientConfig config)
            throws SmtpException {
        Optional<ConnectionCache.Cached> cached = cache.take(key);
        if (cached.isPresent()) {
            SmtpConnection c = cached.get().connection();
            try {
                return sent(key, c, cached.get().messagesSent() + 1, c.send(envelope, message));
            } catch (SmtpException e) {
                c.close();
                if (!e.decidedRecipients().isEmpty() || e.reply().isPresent() && e.phase() != SmtpPhase.RSET) {
                    throw e;
                }
            }
        }
        SmtpConnection c = SmtpConnection.open(key.host(), key.address(), config);
        if (shaper != null) {
            shaper.connectionOpened(key.group());
        }
        try {
            return sent(key, c, 1, c.send(envelope, message));
        } catch (SmtpException e) {
            c.close();
            throw e;
        }
    }

    /** Parks the connection for the next message unless it has carried its share or is broken. */
    private SmtpDeliveryResult sent(ConnectionCache.Key key, SmtpConnection c, int messagesSent, SmtpDeliveryResult r) {
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
    }

    /** Idle connections kept for reuse now: for tests. */
    int idleConnections() {
        return cache.idleCount();
    }

    private static DeliveryReport report(DeliveryRequest request, Map<String, DeliveryReport.RecipientResult> decided,
                                         String host, InetSocketAddress address, Optional<TlsInfo> tls, String tlsDetail,
                                         long start) {
        List<DeliveryReport.RecipientResult> results = new ArrayList<>();
        for (DeliveryRequest.Recipient r : request.recipients()) {
            DeliveryReport.RecipientResult d = decided.get(r.address());
            if (d != null && results.stream().noneMatch(x -> x.recipient().equals(r.address()))) {
                results.add(d);
            }
        }
        return new DeliveryReport(results, host, address == null ? null : address.getAddress().getHostAddress(),
                tls.map(TlsInfo::protocol).orElse(null), tls.map(TlsInfo::cipherSuite).orElse(null),
                tls.flatMap(TlsInfo::peer).orElse(null), tlsDetail, millisSince(start));
    }

    private static DeliveryReport.RecipientResult convert(RecipientResult r) {
        DeliveryReport.Outcome o = switch (r.outcome()) {
            case DELIVERED -> DeliveryReport.Outcome.DELIVERED;
            case DEFERRED -> DeliveryReport.Outcome.DEFERRED;
            case BOUNCED -> DeliveryReport.Outcome.BOUNCED;
        };
        return new DeliveryReport.RecipientResult(r.recipient(), o, remote(r.reply()), r.dsnPassedOn());
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

    /** A session failure as a reply: the server's own when it gave one, else Postfix-style 4.4.x. */
    private static RemoteReply describe(SmtpException e) {
        if (e.kind() == SmtpException.Kind.AUTH_FAILED) {
            // Postfix smtp_sasl_auth_soft_bounce: the relay's 535 defers (class 5 → 4), with its text.
            String status = e.reply().flatMap(SmtpReply::enhancedStatus)
                    .map(s -> "4." + s.subject() + "." + s.detail()).orElse("4.7.8");
            return new RemoteReply(454, status, e.getMessage());
        }
        if (e.reply().isPresent()) {
            return remote(e.reply().get());
        }
        String status = switch (e.kind()) {
            case CONNECTION_REFUSED, CONNECT_TIMEOUT, UNREACHABLE -> "4.4.1";
            case TIMEOUT, CONNECTION_LOST -> "4.4.2";
            case TLS, CERTIFICATE -> "4.7.5";
            case TLS_UNAVAILABLE, AUTH_UNAVAILABLE -> "4.7.4";
            case SOURCE_ADDRESS -> "4.4.1";
            default -> "4.5.0";
        };
        return new RemoteReply(451, status, e.getMessage());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

}
