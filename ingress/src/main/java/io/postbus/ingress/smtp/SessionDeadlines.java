package io.postbus.ingress.smtp;

import java.util.Optional;

/**
 * Which of the {@link SessionTimeouts} applies now and when it runs out, as pure bookkeeping: the
 * shell reports phase changes and arriving bytes with its own monotonic milliseconds, asks
 * {@link #nextDeadline()} when to look again, and {@link #expired} whether a limit has run out.
 *
 * <p>Waiting limits ({@code command}, {@code data}, {@code bdatChunk}, {@code tlsHandshake})
 * count from the later of the phase's start and the last bytes received. The command-line
 * deadline counts from the first byte of an unfinished line, so bytes that trickle in keep the
 * session from going idle but cannot keep one line open forever. The session deadline is held
 * back while the shell is {@link Phase#BUSY} (say, waiting for the broker to acknowledge a
 * message): cutting in there would leave the client unsure whether its message was taken.
 */
public final class SessionDeadlines {
    private static final long NEVER = Long.MAX_VALUE;

    /** What the session is waiting for. */
    public enum Phase {
        /** Before our banner (greet pause): only the session deadline. */
        GREETING,
        COMMAND,
        DATA,
        BDAT_CHUNK,
        TLS_HANDSHAKE,
        /** Waiting for ourselves (broker acknowledgement, password hashing), not for the client. */
        BUSY
    }

    private final SessionTimeouts timeouts;
    private final long sessionEnds;
    private Phase phase = Phase.GREETING;
    private long lastProgress;
    private long lineStarted = -1;
    private boolean lastWasCr;

    public SessionDeadlines(SessionTimeouts timeouts, long nowMillis) {
        this.timeouts = timeouts;
        this.sessionEnds = saturatedAdd(nowMillis, timeouts.session().toMillis());
        this.lastProgress = nowMillis;
    }

    public Phase phase() {
        return phase;
    }

    /** The session now waits for something else; its waiting limit starts afresh. */
    public void enter(Phase next, long nowMillis) {
        phase = next;
        lastProgress = nowMillis;
        lineStarted = -1;
        lastWasCr = false;
    }

    /** Bytes arrived (any phase). */
    public void received(long nowMillis) {
        lastProgress = nowMillis;
    }

    /** Whether the shell should hand arriving bytes to {@link #commandBytes}. */
    public boolean watchesLines() {
        return phase == Phase.COMMAND;
    }

    /** Command-phase bytes, in arrival order: starts or stops the clock of an unfinished line. */
    public void commandBytes(byte[] bytes, long nowMillis) {
        if (bytes.length == 0) {
            return;
        }
        int afterLastCrlf = -1;
        boolean cr = lastWasCr;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && cr) {
                afterLastCrlf = i + 1;
            }
            cr = bytes[i] == '\r';
        }
        lastWasCr = cr;
        if (afterLastCrlf == bytes.length) {
            lineStarted = -1; // every line is complete
        } else if (afterLastCrlf >= 0 || lineStarted < 0) {
            lineStarted = nowMillis; // a new line began in these bytes
        }
    }

    /** The limit that has run out at {@code nowMillis}, if any. */
    public Optional<SessionTimeouts.Kind> expired(long nowMillis) {
        if (phase != Phase.BUSY && nowMillis >= sessionEnds) {
            return Optional.of(SessionTimeouts.Kind.SESSION);
        }
        if (lineStarted >= 0 && nowMillis - lineStarted >= timeouts.commandLine().toMillis()) {
            return Optional.of(SessionTimeouts.Kind.COMMAND_LINE);
        }
        SessionTimeouts.Kind waiting = waitingLimit();
        if (waiting != null && nowMillis - lastProgress >= timeouts.of(waiting).toMillis()) {
            return Optional.of(waiting);
        }
        return Optional.empty();
    }

    /** When {@link #expired} may next say yes, in the shell's milliseconds; {@code Long.MAX_VALUE} = never. */
    public long nextDeadline() {
        long next = phase == Phase.BUSY ? NEVER : sessionEnds;
        if (lineStarted >= 0) {
            next = Math.min(next, saturatedAdd(lineStarted, timeouts.commandLine().toMillis()));
        }
        SessionTimeouts.Kind waiting = waitingLimit();
        if (waiting != null) {
            next = Math.min(next, saturatedAdd(lastProgress, timeouts.of(waiting).toMillis()));
        }
        return next;
    }

    private SessionTimeouts.Kind waitingLimit() {
        return switch (phase) {
            case COMMAND -> SessionTimeouts.Kind.COMMAND;
            case DATA -> SessionTimeouts.Kind.DATA;
            case BDAT_CHUNK -> SessionTimeouts.Kind.BDAT_CHUNK;
            case TLS_HANDSHAKE -> SessionTimeouts.Kind.TLS_HANDSHAKE;
            case GREETING, BUSY -> null;
        };
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? NEVER : sum;
    }
}
