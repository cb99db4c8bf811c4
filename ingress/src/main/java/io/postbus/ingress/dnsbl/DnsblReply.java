package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsNames;
import java.net.Inet4Address;
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
        InetAddress a = DnsblQueryName.unmapped(address);
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952 §4.2: the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
