package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Sends one question to the configured recursive servers and returns the first usable response.
 *
 * <p>Built on {@link SimpleResolver} (one per server) rather than {@code Lookup} or
 * {@code LookupSession}: {@code Lookup} folds SERVFAIL and timeout into one TRY_AGAIN code and
 * keeps a process-wide cache on the system clock; {@code LookupSession} reports outcomes as
 * exceptions and caches with its own clock. With the raw {@link Message} in hand we read the RCODE
 * and sections ourselves ({@link ResponseReader}), so NXDOMAIN, no data, SERVFAIL and timeout stay
 * four different things, and the only cache is ours, on the injected clock. SimpleResolver still
 * does the fiddly parts: EDNS0, matching the response id and question (RFC 5452 §9.1), and
 * retrying over TCP when a UDP answer comes back truncated.
 */
final class Upstream {
    private static final Logger log = LoggerFactory.getLogger(Upstream.class);

    /** What came back: a response worth reading, or why there was none. */
    sealed interface Exchange {
        record Replied(Message response) implements Exchange {}

        record Failed(Kind kind, String detail) implements Exchange {}
    }

    private final List<SimpleResolver> servers;
    private final int rounds;

    Upstream(List<InetSocketAddress> servers, Duration timeout, int retries) {
        this.servers = servers.stream().map(address -> {
            SimpleResolver r = new SimpleResolver(address);
            r.setTimeout(timeout);
            return r;
        }).toList();
        this.rounds = 1 + retries;
    }

    /**
     * Asks each server in turn, for up to {@code 1 + retries} rounds. A timeout or network error
     * is retried (a lost UDP datagram is the common cause); a SERVFAIL or REFUSED is that server's
     * considered answer, so it is not asked again, but the next server may do better. Only if
     * every attempt fails is the last failure returned.
     */
    Exchange query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        // RFC 6840 §5.7: AD in a query asks a validating server to say whether the answer
        // validated, without the cost of DO (no RRSIGs in the response). Harmless elsewhere.
        query.getHeader().setFlag(Flags.AD);
        boolean[] gaveUp = new boolean[servers.size()];
        Exchange.Failed last = null;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < servers.size(); i++) {
                if (gaveUp[i]) {
                    continue;
                }
                Exchange outcome = send(servers.get(i), query);
                if (outcome instanceof Exchange.Replied) {
                    return outcome;
                }
                last = (Exchange.Failed) outcome;
                gaveUp[i] = last.kind() == Kind.SERVFAIL || last.kind() == Kind.REFUSED;
                log.debug("{}/{} via {}: {} ({})", name, Type.string(type),
                        servers.get(i).getAddress(), last.kind(), last.detail());
            }
        }
        return last;
    }

    private static Exchange send(SimpleResolver server, Message query) {
        String via = " from " + server.getAddress();
        try {
            Message response = server.send(query);
            int rcode = response.getRcode();
            if (rcode == Rcode.SERVFAIL) {
                return new Exchange.Failed(Kind.SERVFAIL, "SERVFAIL" + via);
            }
            if (rcode == Rcode.REFUSED) {
                return new Exchange.Failed(Kind.REFUSED, "REFUSED" + via);
            }
            return new Exchange.Replied(response);
        } catch (WireParseException e) {
            return new Exchange.Failed(Kind.MALFORMED, e.getMessage() + via);
        } catch (IOException e) {
            if (isTimeout(e)) {
                return new Exchange.Failed(Kind.TIMEOUT, "no response" + via + " within " + server.getTimeout());
            }
            return new Exchange.Failed(Kind.OTHER, e + via);
        }
    }

    /**
     * dnsjava signals a timeout two ways: {@code Resolver.send} throws SocketTimeoutException when
     * its own wait runs out, while the NIO clients fail with an IOException whose cause is a
     * {@link TimeoutException}. Whichever fires first, it is the same event.
     */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
