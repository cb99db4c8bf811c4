package io.postbus.ingress.conformance;

import java.util.List;
import java.util.Map;

/**
 * One parsed smtpscript file: OpenSMTPD's regression DSL (regress/bin/parse.y, removed upstream in
 * 2019). Procedures and test-cases share a name space, as upstream; test-cases keep file order.
 */
record SmtpScript(String file, Map<String, Op.Block> procedures, List<TestCase> testCases) {
    SmtpScript {
        procedures = Map.copyOf(procedures);
        testCases = List.copyOf(testCases);
    }

    /**
     * A {@code test-case [name "..."] [no-autoconnect] [expect fail] [skip] { ... }} block.
     * Unnamed cases are called {@code file:line}, as upstream's {@code <file:line>}.
     */
    record TestCase(String file, int line, String name, boolean autoConnect, boolean expectFail, boolean skip,
                    Op.Block body) {
        /** The name the report and the JUnit tree use: {@code test.mailfrom:mailfrom.empty}, {@code test.smtp0:7}. */
        String id() {
            return file + ":" + (name != null ? name : Integer.toString(line));
        }
    }

    /** The statements of the DSL. */
    sealed interface Op {
        record Block(List<Op> ops) implements Op {
            public Block {
                ops = List.copyOf(ops);
            }
        }

        /** {@code repeat N stmt}. */
        record Repeat(int count, Op op) implements Op {}

        /** {@code random { a b c }}: runs one child chosen at random. */
        record Random(Block choices) implements Op {}

        record Noop() implements Op {}

        /** {@code fail "reason"}: the case fails here (engine self-test). */
        record Fail(String reason) implements Op {}

        /** {@code call name}: resolved when run, against the file's procedures. */
        record Call(String procedure) implements Op {}

        /** {@code connect "host" [port N]}; the runner maps the address to the server under test. */
        record Connect(String host, int port) implements Op {}

        record Disconnect() implements Op {}

        /** {@code starttls}: a TLS handshake on the open connection (after the client sent STARTTLS). */
        record StartTls() implements Op {}

        record Sleep(long millis) implements Op {}

        /** {@code write "x"} sends x; {@code writeln "x"} sends x CR LF. Bytes are the file's bytes (ISO-8859-1). */
        record Write(String text) implements Op {}

        record ExpectDisconnect() implements Op {}

        /** {@code expect smtp [ok|helo|tempfail|permfail]}. */
        record ExpectSmtp(Expectation expectation) implements Op {}
    }

    /** Which replies an {@code expect smtp} accepts (upstream's RESP_SMTP_* flag sets). */
    enum Expectation {
        /** {@code expect smtp}: any class, multi-line allowed. */
        ANY(true, true, true, true),
        /** {@code expect smtp ok}: a single-line 2xx or 3xx. */
        OK(true, false, false, false),
        /** {@code expect smtp helo}: 2xx or 3xx, multi-line allowed (an EHLO reply). */
        HELO(true, false, false, true),
        /** {@code expect smtp tempfail}: a single-line 4xx. */
        TEMPFAIL(false, true, false, false),
        /** {@code expect smtp permfail}: a single-line 5xx. */
        PERMFAIL(false, false, true, false);

        final boolean positive;
        final boolean transientFailure;
        final boolean permanentFailure;
        final boolean multiline;

        Expectation(boolean positive, boolean transientFailure, boolean permanentFailure, boolean multiline) {
            this.positive = positive;
            this.transientFailure = transientFailure;
            this.permanentFailure = permanentFailure;
            this.multiline = multiline;
        }

        /** Does the first digit of a final reply line satisfy this expectation? */
        boolean accepts(char klass) {
            return switch (klass) {
                case '2', '3' -> positive;
                case '4' -> transientFailure;
                case '5' -> permanentFailure;
                default -> false;
            };
        }
    }
}
