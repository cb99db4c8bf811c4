package io.postbus.core.mail;

import java.time.Clock;
import java.time.Instant;

/**
 * Queue ids in Postfix's long form ({@code enable_long_queue_ids = yes}): seconds (6 chars) and
 * microseconds (4 chars) in Postfix's vowel-free base-52 alphabet, the separator {@code z}, then a
 * base-51 suffix. Postfix puts the queue file's inode there; we put this node's number, so ids are
 * unique across the nodes of a cluster without coordination. Ids of one node are strictly increasing
 * (a logical microsecond clock never goes back or repeats), and because the alphabet is in ASCII
 * order and fields are padded, ids sort by time: {@code mailq} and log readers can rely on that.
 */
public final class QueueIdGenerator {
    /** Postfix's safe alphabet: digits and consonants, in ASCII order. */
    static final String ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    private static final int SEC_BASE = 52;
    private static final int SEC_WIDTH = 6;
    private static final int USEC_WIDTH = 4;
    private static final int NODE_BASE = 51; // excludes 'z', so the separator stays unambiguous

    private final Clock clock;
    private final String nodeSuffix;
    private long lastMicros;

    /** @param node this node's number, unique in the cluster (0 .. 2^31-1) */
    public QueueIdGenerator(Clock clock, int node) {
        if (node < 0) {
            throw new IllegalArgumentException("node number must be >= 0: " + node);
        }
        this.clock = clock;
        this.nodeSuffix = encode(node, NODE_BASE, 1);
    }

    public synchronized String next() {
        Instant now = clock.instant();
        long micros = Math.max(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000, lastMicros + 1);
        lastMicros = micros;
        long seconds = micros / 1_000_000L;
        long usec = micros % 1_000_000L;
        return encode(seconds, SEC_BASE, SEC_WIDTH) + encode(usec, SEC_BASE, USEC_WIDTH) + 'z' + nodeSuffix;
    }

    /** When the id was made, to the microsecond; for ids from any node. */
    public static Instant timeOf(String queueId) {
        // The separator is found by position: 'z' is also a base-52 digit and may occur in the time
        // fields (Postfix likewise takes the last 'z', since the base-51 suffix never contains one).
        if (!isValid(queueId)) {
            throw new IllegalArgumentException("not a long-form queue id: " + queueId);
        }
        long sec = decode(queueId.substring(0, SEC_WIDTH), SEC_BASE);
        long usec = decode(queueId.substring(SEC_WIDTH, SEC_WIDTH + USEC_WIDTH), SEC_BASE);
        if (usec >= 1_000_000L) {
            throw new IllegalArgumentException("microseconds out of range in queue id: " + queueId);
        }
        return Instant.ofEpochSecond(sec, usec * 1_000L);
    }

    /** True for a well-formed long-form queue id (used to validate operator input). */
    public static boolean isValid(String s) {
        if (s == null || s.length() < SEC_WIDTH + USEC_WIDTH + 2 || s.charAt(SEC_WIDTH + USEC_WIDTH) != 'z') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (i != SEC_WIDTH + USEC_WIDTH && ALPHABET.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return s.indexOf('z', SEC_WIDTH + USEC_WIDTH + 1) < 0;
    }

    static String encode(long value, int base, int width) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.append(ALPHABET.charAt((int) (value % base)));
            value /= base;
        } while (value > 0);
        while (sb.length() < width) {
            sb.append('0');
        }
        return sb.reverse().toString();
    }

    static long decode(String s, int base) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = ALPHABET.indexOf(s.charAt(i));
            if (d < 0 || d >= base) {
                throw new IllegalArgumentException("bad queue id character: " + s.charAt(i));
            }
            v = v * base + d;
        }
        return v;
    }
}
