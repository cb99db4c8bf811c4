package io.postbus.ingress.conformance;

import io.postbus.ingress.conformance.ScriptResult.Outcome;
import io.postbus.ingress.conformance.SmtpScript.Expectation;
import io.postbus.ingress.conformance.SmtpScript.Op;
import io.postbus.ingress.conformance.SmtpScript.TestCase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Runs smtpscript test-cases over real TCP, with upstream smtpscript.c's verdicts:
 * <ul>
 * <li>{@code expect smtp ...}: reads one reply; a continuation line where the expectation is
 *     single-line fails at once ("single line response expected"); the final line's first digit
 *     must be in the expected class; codes outside 2xx–5xx, lines shorter than 3 or longer than
 *     4096 octets and non-printable characters fail.</li>
 * <li>{@code expect disconnect}: unread input is an error; any data instead of end-of-stream fails.</li>
 * <li>a failed write is "connection closed"; connect and TLS failures are errors.</li>
 * </ul>
 * Two checks are stricter than upstream, both RFC 5321 MUSTs: every reply line ends in CRLF
 * (§2.3.8) and the lines of a multi-line reply share one code (§4.2.1). And one is added so a
 * stuck server fails the case: every read times out (upstream blocked forever).
 */
final class SmtpScriptRunner {
    /** Where a script's {@code connect "host" port N} (and auto-connect to 127.0.0.1:25) really goes. */
    @FunctionalInterface
    interface Target {
        InetSocketAddress resolve(String host, int port);
    }

    private static final int SMTP_LINE_MAX = 4096;
    private static final Op.Connect AUTO_CONNECT = new Op.Connect("127.0.0.1", 25);

    private final Target target;
    private final Duration readTimeout;
    private final long seed;

    SmtpScriptRunner(Target target, Duration readTimeout, long seed) {
        this.target = target;
        this.readTimeout = readTimeout;
        this.seed = seed;
    }

    ScriptResult run(SmtpScript script, TestCase tc) {
        return run(script, tc, tc.body());
    }

    /** Runs {@code body} with the options of {@code tc} (for our own expectations of a case). */
    ScriptResult run(SmtpScript script, TestCase tc, Op.Block body) {
        long start = System.nanoTime();
        Run r = new Run(script, new Random(seed ^ tc.id().hashCode()));
        if (tc.skip()) {
            return new ScriptResult(Outcome.SKIP, "skip option", List.of(), Duration.ZERO);
        }
        try {
            if (tc.autoConnect()) {
                r.exec(AUTO_CONNECT);
            }
            r.exec(body);
        } catch (Stop s) {
            r.outcome = s.outcome;
            r.reason = s.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.outcome = Outcome.ERROR;
            r.reason = "interrupted";
        } finally {
            r.closeConnection();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Outcome raw = r.outcome;
        if (tc.expectFail() && raw == Outcome.PASS) {
            return new ScriptResult(Outcome.FAIL, "should have failed", r.transcript, took);
        }
        if (tc.expectFail() && raw == Outcome.FAIL) {
            return new ScriptResult(Outcome.PASS, "failed as expected: " + r.reason, r.transcript, took);
        }
        return new ScriptResult(raw, r.reason, r.transcript, took);
    }

    /** Ends the case, like upstream's set_failure() followed by the block loops giving up. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final Outcome outcome;

        Stop(Outcome outcome, String reason) {
            super(reason, null, false, false);
            this.outcome = outcome;
        }
    }

    /** The state of one running case. */
    private final class Run {
        final SmtpScript script;
        final Random random;
        final List<String> transcript = new ArrayList<>();
        ScriptConnection conn;
        Outcome outcome = Outcome.PASS;
        String reason;

        Run(SmtpScript script, Random random) {
            this.script = script;
            this.random = random;
        }

        void exec(Op op) throws Stop, InterruptedException {
            if (op instanceof Op.Block b) {
                for (Op o : b.ops()) {
                    exec(o);
                }
            } else if (op instanceof Op.Repeat rep) {
                for (int i = 0; i < rep.count(); i++) {
                    exec(rep.op());
                }
            } else if (op instanceof Op.Random rnd) {
                List<Op> choices = rnd.choices().ops();
                if (!choices.isEmpty()) {
                    exec(choices.get(random.nextInt(choices.size())));
                }
            } else if (op instanceof Op.Noop) {
                return;
            } else if (op instanceof Op.Fail f) {
                throw new Stop(Outcome.FAIL, f.reason());
            } else if (op instanceof Op.Call c) {
                Op.Block proc = script.procedures().get(c.procedure());
                if (proc == null) {
                    throw new Stop(Outcome.ERROR, "call to undefined proc \"" + c.procedure() + "\"");
                }
                exec(proc);
            } else if (op instanceof Op.Connect c) {
                connect(c);
            } else if (op instanceof Op.Disconnect) {
                closeConnection();
                transcript.add("-- client closed the connection");
            } else if (op instanceof Op.StartTls) {
                startTls();
            } else if (op instanceof Op.Sleep s) {
                Thread.sleep(s.millis());
            } else if (op instanceof Op.Write w) {
                write(w.text());
            } else if (op instanceof Op.ExpectDisconnect) {
                expectDisconnect();
            } else if (op instanceof Op.ExpectSmtp e) {
                expectSmtp(e.expectation());
            } else {
                throw new Stop(Outcome.ERROR, "invalid operator " + op);
            }
        }

        void connect(Op.Connect c) throws Stop {
            closeConnection();
            InetSocketAddress address = target.resolve(c.host(), c.port());
            try {
                conn = ScriptConnection.open(address, readTimeout);
                transcript.add("-- connected to " + address + " (script: " + c.host() + ":" + c.port() + ")");
            } catch (IOException e) {
                throw new Stop(Outcome.ERROR, "failed to connect to " + address + ": " + e);
            }
        }

        void startTls() throws Stop {
            ScriptConnection c = connection();
            if (c.isTls()) {
                throw new Stop(Outcome.ERROR, "SSL context already here");
            }
            try {
                c.startTls();
                transcript.add("-- TLS established: " + c.tlsProtocol());
            } catch (IOException e) {
                throw new Stop(Outcome.ERROR, "SSL connection failed: " + e);
            }
        }

        void write(String text) throws Stop {
            ScriptConnection c = connection();
            transcript.add("C: " + show(text));
            try {
                c.write(text);
            } catch (IOException e) {
                throw new Stop(Outcome.FAIL, "connection closed (" + e.getMessage() + ")");
            }
        }

        void expectDisconnect() throws Stop {
            ScriptConnection c = connection();
            if (c.buffered() > 0) {
                throw new Stop(Outcome.ERROR, c.buffered() + " bytes of input left: " + show(c.bufferedText()));
            }
            int n;
            try {
                n = c.read();
            } catch (SocketTimeoutException e) {
                throw new Stop(Outcome.FAIL, "still connected after " + readTimeout.toMillis() + " ms");
            } catch (IOException e) {
                throw new Stop(Outcome.ERROR, "IO error: " + e);
            }
            if (n < 0) {
                transcript.add("-- server closed the connection");
                closeConnection();
                return;
            }
            String data = c.bufferedText();
            data.lines().forEach(l -> transcript.add("S: " + show(l)));
            throw new Stop(Outcome.FAIL, "data read: " + show(data));
        }

        void expectSmtp(Expectation e) throws Stop {
            ScriptConnection c = connection();
            String code = null;
            while (true) {
                String line = c.takeLine();
                if (line != null) {
                    boolean crlf = line.endsWith("\r");
                    line = crlf ? line.substring(0, line.length() - 1) : line;
                    transcript.add("S: " + show(line) + (crlf ? "" : "   [ended by a bare LF]"));
                    if (!crlf) {
                        throw new Stop(Outcome.FAIL, "reply line not terminated by CRLF (RFC 5321 §2.3.8)");
                    }
                    String bad = validate(line);
                    if (bad != null) {
                        throw new Stop(Outcome.FAIL, bad);
                    }
                    if (code != null && !line.startsWith(code)) {
                        throw new Stop(Outcome.FAIL, "multi-line reply changes its code (RFC 5321 §4.2.1)");
                    }
                    code = line.substring(0, 3);
                    boolean more = line.length() > 3 && line.charAt(3) == '-';
                    if (!more) {
                        if (!e.accepts(line.charAt(0))) {
                            throw new Stop(Outcome.FAIL, "unexpected response code for expect smtp "
                                    + e.name().toLowerCase(Locale.ROOT) + ": " + line);
                        }
                        return;
                    }
                    if (!e.multiline) {
                        throw new Stop(Outcome.FAIL, "single line response expected");
                    }
                    continue;
                }
                if (c.buffered() >= SMTP_LINE_MAX) {
                    throw new Stop(Outcome.FAIL, "line too long");
                }
                int n;
                try {
                    n = c.read();
                } catch (SocketTimeoutException x) {
                    throw new Stop(Outcome.FAIL, "no reply within " + readTimeout.toMillis() + " ms"
                            + (c.buffered() > 0 ? " (partial: " + show(c.bufferedText()) + ")" : ""));
                } catch (IOException x) {
                    throw new Stop(Outcome.ERROR, "io error: " + x);
                }
                if (n < 0) {
                    transcript.add("-- server closed the connection");
                    throw new Stop(Outcome.FAIL, "connection closed");
                }
            }
        }

        ScriptConnection connection() throws Stop {
            if (conn == null) {
                throw new Stop(Outcome.ERROR, "not connected");
            }
            return conn;
        }

        void closeConnection() {
            if (conn != null) {
                conn.close();
                conn = null;
            }
        }
    }

    /** Upstream's parse_smtp_response(): null when the line is a well-formed reply line. */
    static String validate(String line) {
        if (line.length() >= SMTP_LINE_MAX) {
            return "line too long";
        }
        if (line.length() < 3) {
            return "line too short";
        }
        if (line.charAt(0) < '2' || line.charAt(0) > '5' || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2))) {
            return "reply code out of range";
        }
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return "non-printable character in reply";
            }
        }
        return null;
    }

    /** Shows CR and LF as {@code \r} and {@code \n}, dropping one final CRLF (the usual line end). */
    static String show(String s) {
        String body = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s;
        return body.replace("\r", "\\r").replace("\n", "\\n");
    }
}
