package io.postbus.delivery.worker;

import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.route.HostTls;
import io.postbus.delivery.route.MxHost;
import io.postbus.delivery.route.NextHop;
import io.postbus.delivery.route.SaslPasswordMap;
import io.postbus.delivery.route.TlsPlan;
import io.postbus.delivery.shaping.SiteEgress;
import io.postbus.delivery.smtp.Async;
import io.postbus.delivery.smtp.RecipientResult;
import io.postbus.delivery.smtp.SaslCredentials;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpDeliveryResult;
import io.postbus.delivery.smtp.SmtpEnvelope;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpReply;
import io.postbus.delivery.smtp.TlsInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The walk over the MX hosts and their addresses, one connection at a time, until no recipient
 * is open (RFC 5321 §5: a host that fails as a whole sends the open recipients to the next). Its
 * steps run one after the other (on event loops), so its state needs no lock.
 */
final class HostWalk {
    /** One message over a cached or new connection to one host and address. */
    interface Sender {
        CompletionStage<SmtpDeliveryResult> send(ConnectionCache.Key key, SmtpEnvelope envelope, byte[] message,
                                                 SmtpClientConfig config);
    }

    private final Sender sender;
    private final DeliveryRequest request;
    private final NextHop hop;
    private final TlsPlan.Use use;
    private final List<MxHost> hosts;
    private final List<HostTls> hostTls;
    private final SiteEgress egress;
    private final SmtpClientConfig config;
    private final SaslPasswordMap passwords;
    private final long start;
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    private final Map<String, DeliveryReport.RecipientResult> decided = new LinkedHashMap<>();
    private HostFailure last;
    private RemoteReply misconfigured;

    /** @param hostTls each host's TLS level (and DANE records), in the order of {@code hosts} */
    HostWalk(Sender sender, DeliveryRequest request, NextHop hop, TlsPlan.Use use, List<MxHost> hosts,
             List<HostTls> hostTls, SiteEgress egress, SmtpClientConfig config, SaslPasswordMap passwords, long start) {
        if (hostTls.size() != hosts.size()) {
            throw new IllegalArgumentException("one TLS level per host: " + hostTls.size() + " for " + hosts.size());
        }
        this.sender = sender;
        this.request = request;
        this.hop = hop;
        this.use = use;
        this.hosts = hosts;
        this.hostTls = hostTls;
        this.egress = egress;
        this.config = config;
        this.passwords = passwords;
        this.start = start;
        request.recipients().forEach(r -> pending.add(r.address()));
    }

    CompletionStage<DeliveryReport> fromHost(int h) {
        if (h == hosts.size()) {
            return done(allHostsFailed());
        }
        MxHost host = hosts.get(h);
        Optional<SaslCredentials> sasl = Optional.empty();
        Optional<SaslPasswordMap.Match> entry = passwords.lookup(hop, host.name());
        if (entry.isPresent() && entry.get() instanceof SaslPasswordMap.Match.Invalid bad) {
            // Sending without the credentials the postmaster meant to use would only earn a
            // relay refusal; defer until the table is fixed, as for a broken TLS policy entry.
            misconfigured = new RemoteReply(451, "4.3.5", "SASL password map " + bad.table() + " key " + bad.key()
                    + ": " + bad.problem());
            return done(allHostsFailed());
        } else if (entry.isPresent()) {
            sasl = Optional.of(((SaslPasswordMap.Match.Credentials) entry.get()).credentials());
        }
        if (hostTls.get(h) instanceof HostTls.Skip skip) {
            // RFC 7672 §2.2: DANE is required here but cannot be had; like a failed handshake (4.7.5).
            last = new HostFailure(new RemoteReply(451, "4.7.5", skip.detail()), false, host.name(), null);
            return fromHost(h + 1);
        }
        return fromAddress(h, 0, sasl);
    }

    private CompletionStage<DeliveryReport> fromAddress(int h, int a, Optional<SaslCredentials> sasl) {
        MxHost host = hosts.get(h);
        List<InetSocketAddress> addresses = host.socketAddresses();
        if (a == addresses.size()) {
            return fromHost(h + 1);
        }
        InetSocketAddress address = addresses.get(a);
        Optional<InetAddress> source = egress.sourceFor(address.getAddress(), request.destination());
        HostTls.Connect level = (HostTls.Connect) hostTls.get(h);
        SmtpClientConfig hostConfig = config.withTlsPolicy(level.level());
        if (level.dane().isPresent()) {
            hostConfig = hostConfig.withTlsClient(config.tlsClient().withDane(level.dane().get()));
        }
        ConnectionCache.Key key = new ConnectionCache.Key(request.group(), host.name(), address, level.cacheLevel(),
                source, sasl.map(SaslCredentials::username));
        return sender.send(key, SmtpEnvelopes.of(request, pending), request.message(),
                hostConfig.withSourceAddress(source).withSasl(sasl)).handle((r, failure) -> {
                    DeliveryReport report = failure == null ? sent(host, level, r) : failed(Async.cause(failure));
                    return report != null ? done(report) : fromAddress(h, a + 1, sasl);
                }).thenCompose(next -> next);
    }

    /** The report if this host settled every recipient (or all it could), else null: go on. */
    private DeliveryReport sent(MxHost host, HostTls.Connect level, SmtpDeliveryResult r) {
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
                    TlsDetails.delivered(use, level, host.name(), r.tls()), start)
                    .withLocalEnd(r.localAddress().map(a -> a.getAddress().getHostAddress()).orElse(null), r.heloName());
        }
        last = new HostFailure(SmtpDeliveryAgent.remote(closing), false, r.remoteHost(), r.remoteAddress());
        return null;
    }

    private DeliveryReport failed(Throwable failure) {
        if (!(failure instanceof SmtpException e)) {
            throw new CompletionException(failure); // a bug, not a remote outcome
        }
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
        return null;
    }

    /** Every host failed as a whole: the last failure decides for the recipients still open. */
    private DeliveryReport allHostsFailed() {
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
        return new DeliveryReport.RecipientResult(r.recipient(), o, SmtpDeliveryAgent.remote(r.reply()), r.dsnPassedOn());
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
            return SmtpDeliveryAgent.remote(e.reply().get());
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

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
