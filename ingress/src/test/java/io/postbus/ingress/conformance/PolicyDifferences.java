package io.postbus.ingress.conformance;

import java.util.Map;

/**
 * The smtpscript cases where Postbus deliberately answers differently from OpenSMTPD (2012–2019),
 * because the case encodes OpenSMTPD policy rather than an RFC requirement. For each we keep the
 * reason and our own expectation, written in the same DSL and run against the server, so a policy
 * case still checks something. The upstream script is run too and must still differ: an entry
 * whose upstream script starts passing is stale and fails the test.
 *
 * <p>Case ids are {@code file:name}, or {@code file:line} of the {@code test-case} keyword for
 * unnamed cases (the data is never edited, so the lines are stable).
 */
final class PolicyDifferences {
    private PolicyDifferences() {}

    /** Why we differ, and what we do instead (statements in the smtpscript DSL; file procs may be called). */
    record PolicyDifference(String reason, String ourBehaviour) {}

    /** Statement sequences shared by several entries. */
    private static final String PARAMS_NEED_EHLO = """
            call init-helo
            writeln "MAIL FROM: <user@domain> %1$s"
            expect smtp permfail
            writeln "EHLO regress"
            expect smtp helo
            writeln "MAIL FROM: <user@domain> %1$s"
            expect smtp ok
            """;

    private static final String PARAMS_NEED_EHLO_REASON = "RFC 5321 §4.1.1.11 and §3.2: MAIL parameters belong to"
            + " service extensions, which exist only after EHLO; after plain HELO we answer 555 (as Postfix),"
            + " OpenSMTPD ignores the HELO/EHLO distinction. We check the parameter is then accepted after EHLO.";

    static final Map<String, PolicyDifference> ENTRIES = Map.ofEntries(
            // The damaged upstream case: its RCPT string holds a raw newline, so (run as README §9
            // says; upstream's lexer dropped the newline) a bare LF arrives inside the command.
            Map.entry("test.smtp0:55", new PolicyDifference(
                    "bare-LF probe (README §9): RFC 5321 §2.3.8 allows CR and LF only as CRLF; a bare LF inside"
                            + " a command is refused (500), never joined into an address (the SMTP smuggling family)",
                    """
                    expect smtp
                    writeln "EHLO fkf"
                    expect smtp helo
                    writeln "MAIL FROM: <test@blabla>"
                    expect smtp ok
                    writeln "RCPT TO: <gilles\n@localhost>"
                    expect smtp permfail
                    """)),

            // OpenSMTPD kicked the client without a word; RFC 5321 §3.8 lets a server close only after
            // a 421 reply, so we send 421 on the 5th error (maxErrors = 5), then close.
            Map.entry("test.smtp2:7", new PolicyDifference(
                    "RFC 5321 §3.8/§4.2.2: a server that closes on its own first replies 421; upstream expected"
                            + " a silent disconnect after the 5th unknown command",
                    """
                    expect smtp
                    repeat 4 {
                        writeln "FOO"
                        expect smtp permfail
                    }
                    writeln "FOO"
                    expect smtp tempfail
                    expect disconnect
                    """)),

            Map.entry("test.smtp4:149", new PolicyDifference(PARAMS_NEED_EHLO_REASON, """
                    expect smtp ok
                    writeln "HELO l"
                    expect smtp ok
                    writeln "MAIL FROM:<opensmtpd@opensmtpd.org> SIZE=1000"
                    expect smtp permfail
                    writeln "EHLO l"
                    expect smtp helo
                    writeln "MAIL FROM:<opensmtpd@opensmtpd.org> SIZE=1000"
                    expect smtp ok
                    """)),

            // <@> is not a Path (RFC 5321 §4.1.2: Path = "<" [ A-d-l ":" ] Mailbox ">"); only <> is null.
            Map.entry("test.mailfrom:mailfrom.at-sign", new PolicyDifference(
                    "RFC 5321 §4.1.2: \"<@>\" is neither a Mailbox nor the null reverse-path \"<>\"; OpenSMTPD"
                            + " read it as <>. We refuse it with 501 and take the real null path",
                    """
                    call init-helo
                    writeln "MAIL FROM: <@>"
                    expect smtp permfail
                    writeln "MAIL FROM: <>"
                    expect smtp ok
                    """)),

            // A source route is "@host,@host:" (RFC 5321 §4.1.2 A-d-l, kept for compatibility §C);
            // OpenSMTPD stripped anything up to a colon. We strip only real A-d-l syntax.
            Map.entry("test.mailfrom:mailfrom.src-route", new PolicyDifference(
                    "RFC 5321 §4.1.2/Appendix C: a source route is At-domain (\"@whatever:\"); \"whatever:a@a\""
                            + " is not one, and ':' is not allowed in an atom. We check a real source route is stripped",
                    """
                    call init-helo
                    writeln "MAIL FROM: <whatever:a@a>"
                    expect smtp permfail
                    writeln "MAIL FROM: <@whatever:a@a>"
                    expect smtp ok
                    """)),
            Map.entry("test.rcptto:rcptto.src-route", new PolicyDifference(
                    "RFC 5321 §4.1.2/Appendix C: as mailfrom.src-route, for the forward-path",
                    """
                    call init-helo-mailfrom
                    writeln "RCPT TO: <whatever:a@a>"
                    expect smtp permfail
                    writeln "RCPT TO: <@whatever:a@a>"
                    expect smtp ok
                    """)),

            // test.mailfrom greets with HELO, then offers ESMTP parameters.
            Map.entry("test.mailfrom:mailfrom.option-size",
                    new PolicyDifference(PARAMS_NEED_EHLO_REASON, PARAMS_NEED_EHLO.formatted("SIZE=3005"))),
            Map.entry("test.mailfrom:mailfrom.option-7bit",
                    new PolicyDifference(PARAMS_NEED_EHLO_REASON, PARAMS_NEED_EHLO.formatted("BODY=7BIT"))),
            Map.entry("test.mailfrom:mailfrom.option-8bitmime",
                    new PolicyDifference(PARAMS_NEED_EHLO_REASON, PARAMS_NEED_EHLO.formatted("BODY=8BITMIME"))),
            Map.entry("test.mailfrom:mailfrom.option-8bitmime-size",
                    new PolicyDifference(PARAMS_NEED_EHLO_REASON, PARAMS_NEED_EHLO.formatted("BODY=8BITMIME SIZE=100"))),
            Map.entry("test.mailfrom:mailfrom.option-auth",
                    new PolicyDifference(PARAMS_NEED_EHLO_REASON, PARAMS_NEED_EHLO.formatted("AUTH=WHATEVER"))));
}
