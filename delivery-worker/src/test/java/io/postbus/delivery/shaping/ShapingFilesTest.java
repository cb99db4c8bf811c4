package io.postbus.delivery.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.delivery.core.RemoteReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaping file and the backoff rules file: what they say, and errors with line numbers. */
class ShapingFilesTest {

    @Test
    void entriesInheritFromDefaultAndDefaultFromTheBuiltInDefaults() {
        ShapingConfig c = ShapingConfig.parse("""
                # comment
                default       max-connections=5 messages-per-hour=1000

                gmail         messages-per-minute=600
                              connections-per-minute=30
                Example.ORG   messages-per-minute=1 max-connections=0
                """, "shaping");
        assertThat(c.defaultLimits()).isEqualTo(new SiteLimits(5, 100, 0, 1000, 0));
        assertThat(c.limitsFor("gmail")).isEqualTo(new SiteLimits(5, 100, 600, 1000, 30));
        assertThat(c.limitsFor("example.org")).isEqualTo(new SiteLimits(0, 100, 1, 1000, 0));
        assertThat(c.limitsFor("unknown.example")).isEqualTo(c.defaultLimits());
        assertThat(ShapingConfig.defaults().limitsFor("x")).isEqualTo(SiteLimits.DEFAULTS);
    }

    @Test
    void shapingFileMistakesAreRefusedWithTheirLine() {
        assertError("default max-connections=5\ngmail max-conections=5\n", 2, "unknown key max-conections");
        assertError("gmail messages-per-minute=ten\n", 1, "whole number");
        assertError("gmail messages-per-minute=-1\n", 1, "whole number");
        assertError("gmail max-connections=1\n\ngmail max-connections=2\n", 3, "a second entry for gmail");
        assertError("gmail max-connections=1 max-connections=2\n", 1, "given twice");
        assertError("gmail\n", 1, "expected: name key=value");
        assertError("  max-connections=1\n", 1, "continuation line");
        assertError("gmail 5\n", 1, "expected key=value");
        assertError("gm@il max-connections=1\n", 1, "not a site or domain name");
    }

    private static void assertError(String text, int line, String message) {
        assertThatThrownBy(() -> ShapingConfig.parse(text, "shaping.txt"))
                .isInstanceOfSatisfying(ShapingFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("shaping.txt, line " + line + ": ").contains(message);
                });
    }

    @Test
    void backoffRulesReadTheirActionStatusAndText() {
        BackoffRules r = BackoffRules.parse("""
                suspend 30m            4.7.28
                throttle 10/m for 2h   421     too   many  (connections|sessions)
                """, "rules");
        assertThat(r.rules()).hasSize(2);
        assertThat(r.rules().get(0).action()).isEqualTo(new BackoffAction.Suspend(Duration.ofMinutes(30)));
        assertThat(r.rules().get(1).action()).isEqualTo(new BackoffAction.Throttle(Rate.parse("10/m"), Duration.ofHours(2)));
        assertThat(r.rules().get(1).text().pattern()).as("spaces in the text are kept").isEqualTo("too   many  (connections|sessions)");
        assertThat(r.match(new RemoteReply(421, "4.7.28", "4.7.28 rate limited")).map(BackoffRule::line)).contains(1);
        assertThat(r.match(new RemoteReply(421, null, "TOO   MANY  SESSIONS")).map(BackoffRule::line)).contains(2);
        assertThat(r.match(new RemoteReply(421, null, "busy"))).isEmpty();
    }

    @Test
    void backoffRuleMistakesAreRefusedWithTheirLine() {
        assertRuleError("pause 5m 421\n", 1, "unknown action");
        assertRuleError("# c\nsuspend 5 421\n", 2, "s, m, h or d");
        assertRuleError("throttle 10/m 2h 421\n", 1, "throttle <rate> for <duration>");
        assertRuleError("throttle 10/x for 2h 421\n", 1, "a rate is");
        assertRuleError("suspend 5m 4.7\n", 1, "a status");
        assertRuleError("suspend 5m\n", 1, "a status");
        assertRuleError("suspend 5m 421 (unclosed\n", 1, "bad regular expression");
        assertRuleError("suspend 0s 421\n", 1, "positive");
    }

    private static void assertRuleError(String text, int line, String message) {
        assertThatThrownBy(() -> BackoffRules.parse(text, "backoff.txt"))
                .isInstanceOfSatisfying(ShapingFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    /** Reply texts as the receivers' postmaster pages print them (see backoff-rules.txt). */
    @Test
    void theBuiltInRulesKnowTheBigReceiversSlowDownReplies() {
        BackoffRules b = BackoffRules.builtIn();
        assertThat(action(b, 421, "4.7.28", "4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail "
                + "originating from your IP address. To protect our users from spam, mail sent from your IP address has "
                + "been temporarily rate limited.")).isEqualTo("throttle 60/h for 1h");
        assertThat(action(b, 421, "4.7.0", "4.7.0 Try again later, closing connection. (EHLO)")).isEqualTo("suspend 5m");
        assertThat(action(b, 451, "4.7.650", "4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to "
                + "IP reputation.")).isEqualTo("throttle 60/h for 1h");
        assertThat(action(b, 451, "4.7.500", "4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS843)"))
                .isEqualTo("suspend 15m");
        assertThat(action(b, 421, null, "RP-001 (BAY004-MC1F41) Unfortunately, some messages from 192.0.2.1 weren't sent. "
                + "Please try again. We have limits for how many messages can be sent per hour and per day."))
                .isEqualTo("throttle 100/h for 1h");
        assertThat(action(b, 550, "5.7.1", "5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact "
                + "your Internet service provider since part of their network is on our block list (S3150).")).isEqualTo("suspend 1h");
        assertThat(action(b, 421, "4.7.0", "4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
                + "volume or user complaints - 4.16.55.1")).isEqualTo("suspend 30m");
        assertThat(action(b, 421, "4.7.0", "4.7.0 mx.example.net Error: too many connections from 192.0.2.1"))
                .isEqualTo("suspend 1m");
        assertThat(action(b, 450, "4.7.1", "4.7.1 Error: too much mail from 192.0.2.1")).isEqualTo("throttle 30/m for 15m");
        assertThat(action(b, 451, "4.4.1", "connect to 192.0.2.1:25: Connection refused")).isEqualTo("suspend 1m");
        assertThat(b.match(new RemoteReply(451, "4.7.5", "TLS handshake failed"))).as("4.7.5* needs Microsoft's text").isEmpty();
        assertThat(b.match(new RemoteReply(450, "4.2.1", "4.2.1 The user you are trying to contact is receiving mail too quickly")))
                .as("one mailbox's limit, not the site's").isEmpty();
        assertThat(b.match(new RemoteReply(550, "5.1.1", "5.1.1 user unknown"))).isEmpty();
    }

    private static String action(BackoffRules rules, int code, String status, String text) {
        return rules.match(new RemoteReply(code, status, text)).orElseThrow().action().toString();
    }

    @Test
    void aUserFileGoesInFrontOfTheBuiltInRules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("backoff.txt");
        Files.writeString(f, "suspend 2h  4.7.28\n");
        BackoffRules r = BackoffRules.withUserFile(f);
        assertThat(r.match(new RemoteReply(421, "4.7.28", "rate limited")).orElseThrow().origin()).isEqualTo(f + ":1");
        assertThat(r.rules()).hasSize(1 + BackoffRules.builtIn().rules().size());
        Files.write(f, new byte[] {'s', 'u', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> BackoffRules.withUserFile(f)).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> ShapingConfig.read(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }

    @Test
    void ratesReadAndPrintAsWritten() {
        assertThat(Rate.parse("60/h")).isEqualTo(new Rate(60, Duration.ofHours(1)));
        assertThat(Rate.parse("100/15m").per()).isEqualTo(Duration.ofMinutes(15));
        assertThat(Rate.parse("100/15m")).hasToString("100/15m");
        assertThat(Rate.parse("10/m").interval()).isEqualTo(Duration.ofSeconds(6));
        assertThatThrownBy(() -> Rate.parse("0/m")).isInstanceOf(IllegalArgumentException.class);
    }
}
