package io.postbus.delivery.maildir;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique file names for a Maildir, in the form the Maildir spec (cr.yp.to/proto/maildir.html) and
 * Dovecot/Courier agree on: {@code <seconds>.M<microseconds>P<pid>Q<n>.<host>}, followed by the
 * Maildir++ size {@code ,S=<bytes>} so that quota code can sum sizes without a stat per file.
 * The counter makes two deliveries in the same microsecond by one process distinct.
 */
public final class MaildirNames {
    private final Clock clock;
    private final long pid;
    private final String host;
    private final AtomicLong counter = new AtomicLong();

    /**
     * @param hostname this host's name; '/' and ':' are written as \057 and \072 (the spec's
     *                 escapes), because '/' cannot appear in a file name and ':' starts the info part
     */
    public MaildirNames(Clock clock, long pid, String hostname) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (hostname == null || hostname.isEmpty()) {
            throw new IllegalArgumentException("hostname must not be empty");
        }
        this.pid = pid;
        this.host = hostname.replace("/", "\\057").replace(":", "\\072");
    }

    /** A new name for a file of {@code size} bytes. */
    public String next(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        Instant now = clock.instant();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + pid + "Q" + counter.incrementAndGet()
                + "." + host + ",S=" + size;
    }

    /** The Maildir++ size a name carries, or -1 when it has none. */
    public static long sizeOf(String name) {
        int s = name.lastIndexOf(",S=");
        if (s < 0) {
            return -1;
        }
        int end = s + 3;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end == s + 3 ? -1 : Long.parseLong(name.substring(s + 3, end));
    }
}
