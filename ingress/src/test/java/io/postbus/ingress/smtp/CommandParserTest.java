package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesPathsAndParameters() {
        assertThat(CommandParser.parse("mail from:<a@b.example>")).as("verbs are case-insensitive").isInstanceOf(Command.Mail.class);
        Command.Mail m = (Command.Mail) CommandParser.parse("MAIL FROM: <a@b.example> SIZE=10 SMTPUTF8");
        assertThat(m.reversePath()).isEqualTo("a@b.example");
        assertThat(m.params()).containsEntry("SIZE", "10").containsKey("SMTPUTF8");
        assertThat(((Command.Mail) CommandParser.parse("MAIL FROM:<>")).reversePath()).isEmpty();
        assertThat(((Command.Rcpt) CommandParser.parse("RCPT TO:<@relay.example:u@d.example>")).forwardPath()).isEqualTo("u@d.example");
        assertThat(((Command.Rcpt) CommandParser.parse("RCPT TO:<\"odd > local\"@d.example>")).forwardPath()).isEqualTo("\"odd > local\"@d.example");
        assertThat(((Command.Rcpt) CommandParser.parse("RCPT TO:<Postmaster>")).forwardPath()).isEqualTo("Postmaster");
    }

    @Test
    void refusesMalformedCommands() {
        assertThat(code("MAIL FROM:a@b.example")).isEqualTo(501);
        assertThat(code("MAIL FROM:<a@b.example")).isEqualTo(501);
        assertThat(code("RCPT TO:<no-domain>")).isEqualTo(501);
        assertThat(code("RCPT TO:<a@-bad-.example>")).isEqualTo(501);
        assertThat(code("MAIL FROM:<a@b.example>SIZE=1")).isEqualTo(501);
        assertThat(code("MAIL FROM:<a@b.example> SIZE=1 SIZE=2")).isEqualTo(501);
        assertThat(code("EHLO")).isEqualTo(501);
        assertThat(code("XYZZY")).isEqualTo(500);
        assertThat(code("EHLO höst.example")).as("8-bit outside an address").isEqualTo(500);
        assertThat(code("NOOP ÿ")).isEqualTo(500);
        assertThat(code("NOOP\u0000")).isEqualTo(500);
        assertThat(code("RCPT TO:<a@b.example>\rDATA")).isEqualTo(500);
        assertThat(code("HELO " + "x".repeat(CommandParser.MAX_COMMAND_LENGTH))).isEqualTo(500);
    }

    /** Property: no input line makes the parser throw; each yields a command or a 5xx refusal. */
    @Test
    void neverThrowsOnRandomInput() {
        Random random = new Random(20261121);
        String[] seeds = {"MAIL FROM:<", "RCPT TO:<", "EHLO ", "DATA", "@", ">", "\"", "\\", "=", " ", ",", ":", "é", "\u0000"};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                sb.append(random.nextBoolean() ? seeds[random.nextInt(seeds.length)] : (char) random.nextInt(0x250));
            }
            Command c = CommandParser.parse(sb.toString());
            if (c instanceof Command.Invalid inv) {
                assertThat(inv.reply().code()).isBetween(500, 599);
            }
        }
    }

    private static int code(String line) {
        Command c = CommandParser.parse(line);
        assertThat(c).as(line).isInstanceOf(Command.Invalid.class);
        return ((Command.Invalid) c).reply().code();
    }
}
