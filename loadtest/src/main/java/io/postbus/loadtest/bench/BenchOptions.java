package io.postbus.loadtest.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What one {@link AcceptBench} run does. The run is bounded twice: it stops after
 * {@code messages} messages or after {@code timeLimit}, whichever comes first.
 *
 * @param target         the server to drive (loopback only)
 * @param label          the name of the target in the report, e.g. {@code postbus}
 * @param sessions       concurrent SMTP sessions, each one connection sending message after message
 * @param messages       messages to send in all, shared by the sessions
 * @param timeLimit      the run stops sending when this has passed
 * @param bodySize       bytes of body after the headers, like smtp-source's {@code -l}
 * @param content        what the body is made of
 * @param startTls       STARTTLS after EHLO (certificates are not checked: loopback only)
 * @param warmupMessages messages sent first, with the same sessions, and left out of the report
 * @param replyTimeout   longest wait for one reply; a session that waits longer counts an error
 * @param helo           the EHLO name
 * @param sender         MAIL FROM address
 * @param recipient      RCPT TO address
 * @param resultFile     if not null, one tab-separated result line is appended to it
 */
public record BenchOptions(LoopbackTarget target, String label, int sessions, long messages, Duration timeLimit,
                           int bodySize, BodyContent content, boolean startTls, long warmupMessages,
                           Duration replyTimeout, String helo, String sender, String recipient, Path resultFile) {

    public static final int MAX_SESSIONS = 2000;
    public static final int MAX_BODY_SIZE = 10 << 20;
    public static final Duration MAX_TIME_LIMIT = Duration.ofHours(1);

    public static final String USAGE = """
            usage: AcceptBench --target 127.0.0.1:PORT [options]
              --target HOST:PORT     loopback only: 127.0.0.0/8, [::1] or localhost
              --label NAME           name in the report (default: the target)
              --sessions N           concurrent SMTP sessions (default 20, at most %d)
              --messages N           messages in all (default 5000)
              --time-limit D         stop sending after D, e.g. 120s, 5m (default 120s, at most 1h)
              --body-size BYTES      body bytes after the headers (default 5120)
              --content KIND         random (base64 of random bytes, a different stretch per message)
                                     or text (one line repeated); default random
              --starttls             STARTTLS after EHLO
              --warmup N             send N messages first and leave them out of the report (default 0)
              --reply-timeout D      longest wait for one reply (default 60s)
              --helo NAME            EHLO name (default bench.example.net)
              --from ADDRESS         MAIL FROM (default bench@example.net)
              --to ADDRESS           RCPT TO (default sink@example.com)
              --result-file FILE     append one tab-separated result line to FILE
            """.formatted(MAX_SESSIONS);

    public BenchOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(label, "label");
        if (label.isBlank() || label.chars().anyMatch(c -> c < ' ' || c == 127)) {
            throw new IllegalArgumentException("label must be printable and not blank: " + label);
        }
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            throw new IllegalArgumentException("sessions must be 1.." + MAX_SESSIONS + ": " + sessions);
        }
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1: " + messages);
        }
        positive("time limit", timeLimit);
        if (timeLimit.compareTo(MAX_TIME_LIMIT) > 0) {
            throw new IllegalArgumentException("time limit above " + MAX_TIME_LIMIT + ": " + timeLimit);
        }
        if (bodySize < 0 || bodySize > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("body size must be 0.." + MAX_BODY_SIZE + ": " + bodySize);
        }
        if (bodySize == 1) {
            throw new IllegalArgumentException("body size 1 cannot end with CRLF: use 0 or at least 2");
        }
        Objects.requireNonNull(content, "content");
        if (warmupMessages < 0) {
            throw new IllegalArgumentException("warm-up messages must not be negative: " + warmupMessages);
        }
        positive("reply timeout", replyTimeout);
        smtpToken("helo", helo);
        mailbox("from", sender);
        mailbox("to", recipient);
    }

    /** The defaults of {@link #USAGE} for {@code target}. */
    public static BenchOptions defaults(LoopbackTarget target) {
        return new BenchOptions(target, target.toString(), 20, 5000, Duration.ofSeconds(120), 5120, BodyContent.RANDOM,
                false, 0, Duration.ofSeconds(60), "bench.example.net", "bench@example.net", "sink@example.com", null);
    }

    /** Parses command-line arguments; throws IllegalArgumentException with a readable message. */
    public static BenchOptions parse(String... args) {
        String target = null;
        String label = null;
        Integer sessions = null;
        Long messages = null;
        Duration timeLimit = null;
        Integer bodySize = null;
        BodyContent content = null;
        boolean startTls = false;
        Long warmup = null;
        Duration replyTimeout = null;
        String helo = null;
        String from = null;
        String to = null;
        Path resultFile = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--starttls")) {
                startTls = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument: " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--target" -> target = value;
                case "--label" -> label = value;
                case "--sessions" -> sessions = (int) number(flag, value);
                case "--messages" -> messages = number(flag, value);
                case "--time-limit" -> timeLimit = duration(flag, value);
                case "--body-size" -> bodySize = (int) number(flag, value);
                case "--content" -> content = content(value);
                case "--warmup" -> warmup = number(flag, value);
                case "--reply-timeout" -> replyTimeout = duration(flag, value);
                case "--helo" -> helo = value;
                case "--from" -> from = value;
                case "--to" -> to = value;
                case "--result-file" -> resultFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option: " + flag);
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("--target is required");
        }
        BenchOptions d = defaults(LoopbackTarget.parse(target));
        return new BenchOptions(d.target(), or(label, d.label()), or(sessions, d.sessions()), or(messages, d.messages()),
                or(timeLimit, d.timeLimit()), or(bodySize, d.bodySize()), or(content, d.content()), startTls,
                or(warmup, d.warmupMessages()), or(replyTimeout, d.replyTimeout()), or(helo, d.helo()),
                or(from, d.sender()), or(to, d.recipient()), resultFile);
    }

    /** Accepts {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    static Duration duration(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.replaceFirst("[smh]$", ""));
            return switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(flag + " is not a duration (e.g. 30s, 5m): " + text, e);
        }
    }

    private static BodyContent content(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "random" -> BodyContent.RANDOM;
            case "text" -> BodyContent.TEXT;
            default -> throw new IllegalArgumentException("--content is random or text: " + text);
        };
    }

    private static long number(String flag, String text) {
        try {
            long n = Long.parseLong(text.replace("_", "").replace(",", ""));
            if ((n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) && !flag.equals("--messages") && !flag.equals("--warmup")) {
                throw new IllegalArgumentException(flag + " is too large: " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " is not a number: " + text, e);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** Anything sent in an SMTP command: no CR/LF (command injection), no spaces, no controls. */
    private static void smtpToken(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException(what + " must be printable ASCII without spaces or CR/LF: " + value);
        }
    }

    private static void mailbox(String what, String value) {
        smtpToken(what, value);
        if (value.indexOf('@') <= 0 || value.indexOf('<') >= 0 || value.indexOf('>') >= 0) {
            throw new IllegalArgumentException(what + " must be local@domain without angle brackets: " + value);
        }
    }
}
