package io.postbus.ingress.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.conformance.SmtpScript.Expectation;
import io.postbus.ingress.conformance.SmtpScript.Op;
import io.postbus.ingress.conformance.SmtpScript.TestCase;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The smtpscript grammar (upstream regress/bin/parse.y), without a server. */
class SmtpScriptParserTest {
    @Test
    void readsTestCaseOptionsInUpstreamOrder() {
        SmtpScript s = SmtpScriptParser.parse("t", """
                # comment
                test-case name "a.b" no-autoconnect expect fail skip {
                \tfail "x"
                }

                test-case {
                }
                """);
        assertThat(s.testCases()).hasSize(2);
        TestCase a = s.testCases().get(0);
        assertThat(a.id()).isEqualTo("t:a.b");
        assertThat(a.autoConnect()).isFalse();
        assertThat(a.expectFail()).isTrue();
        assertThat(a.skip()).isTrue();
        assertThat(a.body().ops()).containsExactly(new Op.Fail("x"));
        assertThat(s.testCases().get(1).id()).as("unnamed: file and line of test-case").isEqualTo("t:6");
    }

    @Test
    void nestsRepeatRandomBlocksAndCalls() {
        SmtpScript s = SmtpScriptParser.parse("t", """
                proc init-helo %foo %bar {
                \texpect smtp ok
                \twriteln "HELO regress"
                \texpect smtp helo
                }
                test-case {
                \trepeat 2 repeat 3 sleep 7
                \trandom {
                \t\t{ sleep 1 }
                \t\tcall init-helo
                \t}
                \trandom {}
                \texpect smtp
                \texpect smtp tempfail
                \texpect smtp permfail
                \texpect disconnect
                \tconnect "localhost" port 25
                \tstarttls
                \twrite "no newline"
                }
                """);
        assertThat(s.procedures().get("init-helo").ops()).containsExactly(new Op.ExpectSmtp(Expectation.OK),
                new Op.Write("HELO regress\r\n"), new Op.ExpectSmtp(Expectation.HELO));
        assertThat(s.testCases().get(0).body().ops()).containsExactly(
                new Op.Repeat(2, new Op.Repeat(3, new Op.Sleep(7))),
                new Op.Random(new Op.Block(List.of(new Op.Block(List.of(new Op.Sleep(1))), new Op.Call("init-helo")))),
                new Op.Random(new Op.Block(List.of())),
                new Op.ExpectSmtp(Expectation.ANY), new Op.ExpectSmtp(Expectation.TEMPFAIL),
                new Op.ExpectSmtp(Expectation.PERMFAIL), new Op.ExpectDisconnect(),
                new Op.Connect("localhost", 25), new Op.StartTls(), new Op.Write("no newline"));
    }

    @Test
    void keepsARawNewlineInsideAStringAsTheReadmeRunsTheDamagedCase() {
        SmtpScript s = SmtpScriptParser.parse("t", "test-case {\n\twriteln \"RCPT TO: <gilles\n@localhost>\"\n}\n");
        assertThat(s.testCases().get(0).body().ops()).containsExactly(new Op.Write("RCPT TO: <gilles\n@localhost>\r\n"));
    }

    @Test
    void refusesWhatUpstreamRefuses() {
        assertThatThrownBy(() -> SmtpScriptParser.parse("t", "test-case {\n\tcall nowhere\n}\n"))
                .isInstanceOf(ScriptSyntaxException.class).hasMessageContaining("undefined proc");
        assertThatThrownBy(() -> SmtpScriptParser.parse("t", "proc p {\n\tcall p\n}\n"))
                .hasMessageContaining("recursive");
        assertThatThrownBy(() -> SmtpScriptParser.parse("t", "test-case {\n\texpect smtp maybe\n}\n"))
                .hasMessageContaining("t:2");
        assertThatThrownBy(() -> SmtpScriptParser.parse("t", "test-case {\n\twriteln \"open\n}\n"))
                .hasMessageContaining("end of file inside a quoted string");
        assertThatThrownBy(() -> SmtpScriptParser.parse("t", "test-case { sleep 1 sleep 2 }\n"))
                .as("statements need a newline between them").isInstanceOf(ScriptSyntaxException.class);
    }

    @Test
    void parsesEveryFileOfTheSuite() {
        int smtp = 0;
        for (String f : OpenSmtpdSmtpscriptTest.FILES) {
            SmtpScript s = OpenSmtpdSmtpscriptTest.load(f);
            if (!f.equals("test.base")) {
                smtp += s.testCases().size();
            }
        }
        assertThat(smtp).isEqualTo(OpenSmtpdSmtpscriptTest.SMTP_CASES);
    }

    /** Fuzz: mangled suite files either parse or fail with a located syntax error, never anything else. */
    @Test
    void mangledInputGivesOnlySyntaxErrors() {
        Random rnd = new Random(42);
        String alphabet = "{}\"'#%\n\t \\-0123456789abcxyz:_=<>@";
        for (String f : OpenSmtpdSmtpscriptTest.FILES) {
            String text = OpenSmtpdSmtpscriptTest.text(f);
            for (int i = 0; i < 300; i++) {
                StringBuilder sb = new StringBuilder(text);
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int at = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                        default -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                }
                try {
                    SmtpScriptParser.parse(f, sb.toString());
                } catch (ScriptSyntaxException expected) {
                    assertThat(expected.getMessage()).startsWith(f + ":");
                }
            }
        }
    }
}
