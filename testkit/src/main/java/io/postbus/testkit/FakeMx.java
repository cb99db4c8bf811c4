package io.postbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A scriptable receiving MTA for tests: real TCP (default 127.0.0.1, a free port), plain SMTP
 * (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no PIPELINING, no STARTTLS, no BDAT),
 * with every reply a test may want to choose:
 *
 * <pre>{@code
 * try (FakeMx mx = FakeMx.start()) {
 *     mx.rcpt("bob@example.com", FakeMx.RcptScript.failFirst(3, "451 4.3.0 try again later"));
 *     mx.rcpt("gone@example.com", FakeMx.RcptScript.always("550 5.1.1 no such user"));
 *     mx.reply(FakeMx.Command.DATA_END, "452 4.3.1 insufficient storage");   // any command's reply
 *     mx.stall(FakeMx.Command.MAIL, Duration.ofSeconds(30));                  // answer late
 *     mx.dropAfter(FakeMx.Command.RCPT);                                      // hang up instead of answering
 *     ... deliver to 127.0.0.1:mx.port() ...
 *     mx.awaitTransactions(1, Duration.ofSeconds(30));
 *     FakeMx.Transaction t = mx.transactions().get(0);                         // envelope, data, time
 * }
 * }</pre>
 *
 * <p>A client that greets with LHLO speaks LMTP (RFC 2033): it gets the EHLO reply, and after the
 * data one {@link Command#DATA_END} reply per accepted recipient (§4.2), so the same server stands
 * in for Dovecot's LMTP listener.
 *
 * <p>Replies are written as on the wire, one line per {@code \n}-separated line ({@code
 * "250-first\n250 last"} for a multiline reply); the server sends them with CRLF. Message data is
 * recorded dot-unstuffed (RFC 5321 §4.5.2), byte for byte, without the terminating {@code .} line.
 *
 * <p>Attempts are counted per recipient (case-insensitively) over all connections: the n-th RCPT
 * for an address is its attempt n, which is what a retry schedule is about. Times come from the
 * clock given to {@link #clock(Clock)} (default UTC system clock), so a test on a
 * {@link MutableClock} sees arrival times in its own time. All methods are thread-safe; scripts may
 * be changed while the server runs and apply from the next command on.
 */
public final class FakeMx implements AutoCloseable {
    /** The points of a conversation a test can script. */
    public enum Command {
        /** The 220 greeting on connect. */
        GREETING,
        /** EHLO, and LHLO (LMTP). */
        EHLO,
        HELO,
        MAIL,
        /** RCPT replies come from {@link RcptScript}s; stall and drop apply as to any command. */
        RCPT,
        /** The DATA command (354 go ahead). */
        DATA,
        /** The final dot of the message data: the reply that accepts or refuses the message (under LMTP, for each recipient). */
        DATA_END,
        RSET,
        NOOP,
        QUIT
    }

    /** The RCPT reply for an address, by its attempt number (1 for the first RCPT ever for it). */
    @FunctionalInterface
    public interface RcptScript {
        String reply(int attempt);

        static RcptScript accept() {
            return always("250 2.1.5 Ok");
        }

        static RcptScript always(String reply) {
            Objects.requireNonNull(reply, "reply");
            return attempt -> reply;
        }

        /** {@code reply} for the first {@code n} attempts, then 250. */
        static RcptScript failFirst(int n, String reply) {
            Objects.requireNonNull(reply, "reply");
            return attempt -> attempt <= n ? reply : "250 2.1.5 Ok";
        }
    }

    /**
     * One MAIL transaction that got as far as the end of its data.
     *
     * @param connection  1 for the first connection the server accepted
     * @param helo        the EHLO, HELO or LHLO argument
     * @param lmtp        true when the client greeted with LHLO (RFC 2033)
     * @param mailFrom    the reverse-path without angle brackets ("" for the null sender)
     * @param recipients  the recipients accepted with a 2xx, in order
     * @param attempts    each accepted recipient's attempt number (see {@link RcptScript})
     * @param data        the message, dot-unstuffed, each line with its CRLF, no final dot line
     * @param arrivedAt   when the final dot arrived, by the server's clock
     * @param reply       the reply given to the final dot; empty when the connection was dropped instead
     */
    public record Transaction(int connection, String helo, boolean lmtp, String mailFrom, List<String> recipients,
                              Map<String, Integer> attempts, byte[] data, Instant arrivedAt, String reply) {
        public Transaction {
            recipients = List.copyOf(recipients);
            attempts = Map.copyOf(attempts);
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(arrivedAt, "arrivedAt");
        }

        /** True when the server accepted the message (a 2xx to the final dot). */
        public boolean accepted() {
            return reply.startsWith("2");
        }
    }

    /** One RCPT command: whatever the reply, it counts as an attempt for that address. */
    public record RcptAttempt(int connection, String recipient, int attempt, String reply, Instant at) {}

    private static final String HOST = "fakemx.test";

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-mx");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, RcptScript> rcptScripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptCounts = new ConcurrentHashMap<>();
    private final Map<Command, String> replies = new EnumMap<>(Command.class);
    private final Map<Command, Duration> stalls = new EnumMap<>(Command.class);
    private final Map<Command, Boolean> drops = new EnumMap<>(Command.class);
    private final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    private final List<RcptAttempt> rcptAttempts = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile RcptScript defaultRcpt = RcptScript.accept();
    private volatile Clock clock = Clock.systemUTC();

    private FakeMx(ServerSocket server) {
        this.server = server;
        replies.put(Command.GREETING, "220 " + HOST + " ESMTP FakeMx");
        replies.put(Command.EHLO, "250-" + HOST + "\n250-8BITMIME\n250-SMTPUTF8\n250 ENHANCEDSTATUSCODES");
        replies.put(Command.HELO, "250 " + HOST);
        replies.put(Command.MAIL, "250 2.1.0 Ok");
        replies.put(Command.DATA, "354 End data with <CR><LF>.<CR><LF>");
        replies.put(Command.DATA_END, "250 2.0.0 Ok: queued");
        replies.put(Command.RSET, "250 2.0.0 Ok");
        replies.put(Command.NOOP, "250 2.0.0 Ok");
        replies.put(Command.QUIT, "221 2.0.0 Bye");
    }

    /** Listens on 127.0.0.1, on a free port. */
    public static FakeMx start() {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Listens on {@code address} (port 0 for a free one). */
    public static FakeMx start(InetSocketAddress address) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(address);
            FakeMx mx = new FakeMx(s);
            mx.threads.execute(mx::acceptLoop);
            return mx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    // --- scripting ---------------------------------------------------------------------------

    /** The RCPT replies for {@code recipient} (matched case-insensitively). */
    public FakeMx rcpt(String recipient, RcptScript script) {
        rcptScripts.put(key(recipient), Objects.requireNonNull(script, "script"));
        return this;
    }

    /** The RCPT replies for every recipient without a script of its own (default: accept). */
    public FakeMx defaultRcpt(RcptScript script) {
        this.defaultRcpt = Objects.requireNonNull(script, "script");
        return this;
    }

    /** The reply to {@code command}, as on the wire; RCPT replies are set with {@link #rcpt}. */
    public FakeMx reply(Command command, String reply) {
        if (command == Command.RCPT) {
            throw new IllegalArgumentException("RCPT replies come from rcpt(...) and defaultRcpt(...)");
        }
        synchronized (replies) {
            replies.put(command, Objects.requireNonNull(reply, "reply"));
        }
        return this;
    }

    /** Waits {@code delay} before answering {@code command} (a slow or hung server). */
    public FakeMx stall(Command command, Duration delay) {
        synchronized (stalls) {
            stalls.put(command, Objects.requireNonNull(delay, "delay"));
        }
        return this;
    }

    /** Closes the connection when {@code command} arrives (for GREETING: right after accepting it), without a reply. */
    public FakeMx dropAfter(Command command) {
        synchronized (drops) {
            drops.put(command, true);
        }
        return this;
    }

    /** Undoes every stall and drop (replies and RCPT scripts stay). */
    public FakeMx behaveNormally() {
        synchronized (stalls) {
            stalls.clear();
        }
        synchronized (drops) {
            drops.clear();
        }
        return this;
    }

    /** The clock for arrival times. */
    public FakeMx clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    // --- what happened -------------------------------------------------------------------------

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Every transaction that reached the end of its data, accepted or not, in arrival order. */
    public List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    /** Every RCPT command, in arrival order. */
    public List<RcptAttempt> rcptAttempts() {
        return List.copyOf(rcptAttempts);
    }

    /** How many RCPT commands named {@code recipient} so far. */
    public int attempts(String recipient) {
        AtomicInteger n = attemptCounts.get(key(recipient));
        return n == null ? 0 : n.get();
    }

    public int connectionCount() {
        return connections.get();
    }

    /** Waits until {@code n} transactions have arrived; false on timeout. */
    public boolean awaitTransactions(int n, Duration timeout) {
        return await(() -> transactions.size() >= n, timeout);
    }

    /** Waits until {@code recipient} has been tried {@code n} times; false on timeout. */
    public boolean awaitAttempts(String recipient, int n, Duration timeout) {
        return await(() -> attempts(recipient) >= n, timeout);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FakeMx::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- for the session -----------------------------------------------------------------------

    String replyTo(Command command) {
        synchronized (replies) {
            return replies.get(command);
        }
    }

    Duration stallOf(Command command) {
        synchronized (stalls) {
            return stalls.getOrDefault(command, Duration.ZERO);
        }
    }

    boolean dropsAt(Command command) {
        synchronized (drops) {
            return drops.getOrDefault(command, false);
        }
    }

    /** Counts the attempt and answers it from the recipient's script. */
    RcptAttempt rcptAttempt(int connection, String recipient) {
        String k = key(recipient);
        int attempt = attemptCounts.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        String reply = rcptScripts.getOrDefault(k, defaultRcpt).reply(attempt);
        RcptAttempt a = new RcptAttempt(connection, recipient, attempt, reply, now());
        rcptAttempts.add(a);
        return a;
    }

    void record(Transaction t) {
        transactions.add(t);
    }

    Instant now() {
        return clock.instant();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int n = connections.incrementAndGet();
                threads.execute(() -> {
                    try {
                        new FakeMxSession(this, s, n).run();
                    } finally {
                        open.remove(s);
                        closeQuietly(s);
                    }
                });
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static String key(String recipient) {
        return recipient.toLowerCase(Locale.ROOT);
    }

    private static boolean await(BooleanSupplier done, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** For sessions: the attempts of one transaction, in RCPT order. */
    static Map<String, Integer> attemptsOf(List<RcptAttempt> accepted) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (RcptAttempt a : accepted) {
            out.put(a.recipient(), a.attempt());
        }
        return out;
    }

    static List<String> recipientsOf(List<RcptAttempt> accepted) {
        List<String> out = new ArrayList<>();
        accepted.forEach(a -> out.add(a.recipient()));
        return out;
    }
}
