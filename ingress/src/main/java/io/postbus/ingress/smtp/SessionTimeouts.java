package io.postbus.ingress.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session may wait for the client, one limit per phase (as KumoMTA types one timeout
 * per SMTP phase) instead of a single idle timeout. When one runs out the client gets
 * {@code 421 4.4.2 <host> Error: timeout exceeded} (unless mid TLS handshake, where no reply can
 * be read) and the connection is closed; an unfinished message is dropped, never queued.
 *
 * @param command      waiting for the next command (RFC 5321 §4.5.3.2.7: at least 5 minutes)
 * @param commandLine  from the first byte of a command line to its CRLF, however slowly the bytes
 *                     trickle in: a slowloris that sends one byte a minute never goes idle
 * @param data         waiting for more message data after DATA's 354
 * @param bdatChunk    waiting for more octets of a BDAT chunk (RFC 3030)
 * @param tlsHandshake the TLS handshake after STARTTLS, or at connect on the implicit-TLS port
 * @param session      the whole session, however busy: what one connection may hold at most
 */
public record SessionTimeouts(Duration command, Duration commandLine, Duration data, Duration bdatChunk,
                              Duration tlsHandshake, Duration session) {
    /** Generous enough for any real client: RFC 5321's 5 minutes where it names one. */
    public static final SessionTimeouts DEFAULTS = new SessionTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1));

    /** Which limit ran out. */
    public enum Kind {
        COMMAND,
        COMMAND_LINE,
        DATA,
        BDAT_CHUNK,
        TLS_HANDSHAKE,
        SESSION
    }

    public SessionTimeouts {
        requirePositive(command, "command");
        requirePositive(commandLine, "commandLine");
        requirePositive(data, "data");
        requirePositive(bdatChunk, "bdatChunk");
        requirePositive(tlsHandshake, "tlsHandshake");
        requirePositive(session, "session");
    }

    /** The same limit for every phase (tests). */
    public static SessionTimeouts all(Duration d) {
        return new SessionTimeouts(d, d, d, d, d, d);
    }

    public Duration of(Kind kind) {
        return switch (kind) {
            case COMMAND -> command;
            case COMMAND_LINE -> commandLine;
            case DATA -> data;
            case BDAT_CHUNK -> bdatChunk;
            case TLS_HANDSHAKE -> tlsHandshake;
            case SESSION -> session;
        };
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout " + name + " must be positive: " + d);
        }
    }
}
