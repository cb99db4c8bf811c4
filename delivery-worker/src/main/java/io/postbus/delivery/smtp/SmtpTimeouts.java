package io.postbus.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait in each phase of a session. RFC 5321 §4.5.3.2 gives the minimums a client
 * should wait for a reply; shorter values are for tests and impatient relays.
 *
 * @param connect   TCP connect; not in the RFC, Postfix's smtp_connect_timeout is 30 s
 * @param greeting  the 220 banner (§4.5.3.2.1: 5 minutes)
 * @param ehlo      the EHLO or HELO reply; Postfix's smtp_helo_timeout is 5 minutes
 * @param starttls  the STARTTLS reply and the TLS handshake; Postfix: 5 minutes
 * @param mailFrom  the MAIL reply (§4.5.3.2.2: 5 minutes); also used for RSET
 * @param rcptTo    each RCPT reply (§4.5.3.2.3: 5 minutes)
 * @param data      the 354 after DATA (§4.5.3.2.4: 2 minutes)
 * @param dataDone  the reply after the final dot (§4.5.3.2.6: 10 minutes); the server may be
 *                  delivering while we wait, so giving up early risks a duplicate
 * @param quit      the QUIT reply; Postfix: 5 minutes
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration ehlo, Duration starttls,
                           Duration mailFrom, Duration rcptTo, Duration data, Duration dataDone, Duration quit) {

    public SmtpTimeouts {
        connect = positive(connect, "connect");
        greeting = positive(greeting, "greeting");
        ehlo = positive(ehlo, "ehlo");
        starttls = positive(starttls, "starttls");
        mailFrom = positive(mailFrom, "mailFrom");
        rcptTo = positive(rcptTo, "rcptTo");
        data = positive(data, "data");
        dataDone = positive(dataDone, "dataDone");
        quit = positive(quit, "quit");
    }

    /** The RFC 5321 §4.5.3.2 values, and Postfix's where the RFC says nothing. */
    public static SmtpTimeouts rfc5321() {
        Duration five = Duration.ofMinutes(5);
        return new SmtpTimeouts(Duration.ofSeconds(30), five, five, five, five, five, Duration.ofMinutes(2),
                Duration.ofMinutes(10), five);
    }

    /** The same timeout for every phase; for tests. */
    public static SmtpTimeouts uniform(Duration timeout) {
        return new SmtpTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout);
    }

    public SmtpTimeouts withGreeting(Duration greeting) {
        return new SmtpTimeouts(connect, greeting, ehlo, starttls, mailFrom, rcptTo, data, dataDone, quit);
    }

    public SmtpTimeouts withDataDone(Duration dataDone) {
        return new SmtpTimeouts(connect, greeting, ehlo, starttls, mailFrom, rcptTo, data, dataDone, quit);
    }

    /** The timeout for waiting on the reply that ends {@code phase}. */
    public Duration forPhase(SmtpPhase phase) {
        return switch (phase) {
            case CONNECT -> connect;
            case GREETING -> greeting;
            case EHLO, HELO, LHLO, AUTH -> ehlo; // AUTH is part of the session setup, like EHLO
            case STARTTLS, TLS_HANDSHAKE -> starttls;
            case RSET, MAIL -> mailFrom;
            case RCPT -> rcptTo;
            case DATA -> data;
            // A chunk's reply comes after the server stored up to a MiB, as the final dot's does.
            case DATA_DONE, BDAT, BDAT_LAST -> dataDone;
            case QUIT -> quit;
        };
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive: " + d);
        }
        if (d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " timeout too long for a socket: " + d);
        }
        return d;
    }
}
