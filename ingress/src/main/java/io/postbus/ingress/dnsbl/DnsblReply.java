package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsNames;
import io.postbus.core.net.IpText;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pieces of the SMTP reply that refuses a blocklisted client, worded as Postfix words it:
 * {@code 554 5.7.1 Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org}.
 *
 * <p>554 because it replaces the 220 greeting (RFC 5321 §3.1: a server may refuse a session with a
 * 554 opening reply, and must then still wait for QUIT, answering other commands with 503); 5.7.1
 * is "delivery not authorized" (RFC 3463 §3.8). Permanent: a listed client should not retry soon.
 *
 * @param code           the reply code, 554
 * @param enhancedStatus the RFC 3463 status, "5.7.1"
 * @param text           the reply text, one line, no CR or LF
 */
public record DnsblReply(int code, String enhancedStatus, String text) {
    public static final int CODE = 554;
    public static final String ENHANCED_STATUS = "5.7.1";

    public DnsblReply {
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF inside a reply text");
        }
    }

    /** The reply for a rejected verdict, naming the zone as configured; empty when the verdict passes. */
    public static Optional<DnsblReply> forVerdict(DnsblVerdict verdict) {
        return forVerdict(verdict, Map.of());
    }

    /**
     * As {@link #forVerdict(DnsblVerdict)}, with Postfix's {@code postscreen_dnsbl_reply_map}: a
     * zone found in {@code replyNames} is shown by its mapped name, so that a zone carrying a secret
     * (a Spamhaus DQS key, for one) is never sent to the client.
     */
    public static Optional<DnsblReply> forVerdict(DnsblVerdict verdict, Map<String, String> replyNames) {
        Objects.requireNonNull(replyNames, "replyNames");
        if (!verdict.rejected()) {
            return Optional.empty();
        }
        // A REJECT always has a positive listing: the threshold is at least 1.
        String zone = verdict.blockingZone().orElseThrow();
        String shown = replyNames.entrySet().stream()
                .filter(e -> DnsNames.normalize(e.getKey()).equals(zone))
                .map(Map.Entry::getValue).findFirst().orElse(zone);
        return Optional.of(new DnsblReply(CODE, ENHANCED_STATUS,
                "Service unavailable; client [" + addressText(verdict.client()) + "] blocked using " + shown));
    }

    /** IPv4 dotted; IPv6 in the RFC 5952 §4 canonical form (lower case, longest zero run as "::"). */
    static String addressText(InetAddress address) {
        return IpText.canonical(DnsblQueryName.unmapped(address));
    }
}
