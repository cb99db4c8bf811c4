package io.postbus.core.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postbus.core.bounce.BounceRulesException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in rules against replies real servers send (RFC 3463 codes, RFC 7372 and RFC 7505
 * additions, and the providers' own texts), and the rules file format.
 */
class BounceRulesTest {
    private static final BounceRules BUILT_IN = BounceRules.builtIn();

    private static BounceClass classify(int code, String status, String text) {
        return BUILT_IN.classify(code, status, text).bounceClass();
    }

    @ParameterizedTest(name = "{3}: {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            550 | 5.1.1  | The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser | BAD_MAILBOX
            550 | 5.1.1  | <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table | BAD_MAILBOX
            550 | 5.1.10 | RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup | BAD_MAILBOX
            550 | 5.4.1  | Recipient address rejected: Access denied. AS(201806281) [DB8EUR05FT012.eop-eur05.prod.protection.outlook.com] | BAD_MAILBOX
            550 | 5.5.0  | Requested action not taken: mailbox unavailable (S2017062302). | BAD_MAILBOX
            554 |        | delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1003.mail.ne1.yahoo.com | BAD_MAILBOX
            550 |        | No Such User Here | BAD_MAILBOX
            550 |        | Unrouteable address | BAD_MAILBOX
            550 | 5.2.1  | The email account that you tried to reach is disabled. | BAD_MAILBOX
            556 | 5.1.10 | Recipient address rejected: Domain example.com does not accept mail (nullMX) | BAD_DOMAIN
            550 | 5.4.4  | Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found | BAD_DOMAIN
            550 | 5.4.310| DNS domain example.invalid does not exist [Message=InfoDomainNonexistent] | BAD_DOMAIN
            552 | 5.2.2  | The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm | MAILBOX_FULL
            554 | 5.2.2  | mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded | MAILBOX_FULL
            552 |        | Requested mail action aborted: mailbox is full | MAILBOX_FULL
            552 | 5.2.3  | Your message exceeded Google's message size limits. Please visit https://support.google.com/mail/?p=MaxSizeError | MESSAGE_TOO_BIG
            552 | 5.3.4  | Message size exceeds fixed maximum message size | MESSAGE_TOO_BIG
            554 | 5.4.6  | mail for example.com loops back to myself | ROUTING_LOOP
            554 | 5.4.14 | Hop count exceeded - possible mail loop ATTR34 | ROUTING_LOOP
            550 | 5.7.26 | This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM. | REPUTATION
            550 | 5.7.26 | Unauthenticated email from example.com is not accepted due to domain's DMARC policy. | REPUTATION
            550 | 5.7.25 | The IP address sending this message does not have a PTR record setup | REPUTATION
            550 | 5.7.1  | Our system has detected that this message is likely suspicious due to the very low reputation of the sending domain. | REPUTATION
            550 | 5.7.28 | Our system has detected an unusual rate of unsolicited mail originating from your IP address. | REPUTATION
            421 | 4.7.0  | [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints | REPUTATION
            550 | 5.7.708| Service unavailable. Access denied, traffic not accepted from this IP. | REPUTATION
            550 | 5.7.1  | Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. | SPAM_BLOCK
            550 | 5.7.606| Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ | SPAM_BLOCK
            554 | 5.7.1  | Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1 | SPAM_BLOCK
            553 | 5.7.1  | [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes | SPAM_BLOCK
            550 | 5.7.1  | Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. | SPAM_BLOCK
            550 | 5.7.1  | Message rejected as spam | SPAM_BLOCK
            554 | 5.7.1  | <nobody@example.net>: Relay access denied | POLICY
            554 | 5.7.9  | Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes | POLICY
            550 | 5.7.520| Access denied, Your organization does not allow external forwarding. | POLICY
            550 | 5.7.99 | ? | POLICY
            550 | 5.0.0  | ? | OTHER
            550 |        | Requested action not taken | OTHER
            """)
    void realWorldRepliesFallInTheirClass(int code, String status, String text, BounceClass expected) {
        assertThat(classify(code, status, text)).isEqualTo(expected);
    }

    @Test
    void multiLineRepliesMatchAcrossTheLineBreak() {
        // Gmail sends this as two 550- lines; the phrase "does not exist" spans none, but the rule
        // for "account ... does not exist" must see both lines as one text.
        String text = "The email account that you tried to reach\ndoes not exist. Please try double-checking";
        assertThat(classify(550, null, text)).isEqualTo(BounceClass.BAD_MAILBOX);
    }

    @Test
    void theMatchingRuleIsReportedWithItsLine() {
        BounceClassification c = BUILT_IN.classify(550, "5.1.1", "x");
        assertThat(c.bounceClass()).isEqualTo(BounceClass.BAD_MAILBOX);
        assertThat(c.rule()).isPresent();
        assertThat(c.rule().get().origin()).startsWith("built-in bounce-rules.txt:");
        assertThat(c.rule().get().status().glob()).isEqualTo("5.1.1");
        assertThat(BUILT_IN.classify(550, "5.0.0", "?").rule()).isEmpty();
    }

    @Test
    void statusPatternsAreExactUnlessTheyHaveAStar() {
        assertThat(new StatusMatch("5.1.1").matches(550, "5.1.10")).isFalse();
        assertThat(new StatusMatch("5.1.1").matches(550, "5.1.1")).isTrue();
        assertThat(new StatusMatch("5.1.*").matches(550, "5.1.10")).isTrue();
        assertThat(new StatusMatch("*.2.2").matches(452, "4.2.2")).isTrue();
        assertThat(new StatusMatch("*.2.2").matches(552, "5.2.20")).isFalse();
        assertThat(new StatusMatch("552").matches(552, null)).isTrue();
        assertThat(new StatusMatch("55*").matches(554, "5.7.1")).isTrue();
        assertThat(new StatusMatch("5.7.*").matches(550, null)).as("no enhanced code to match").isFalse();
        assertThat(StatusMatch.ANY.matches(421, null)).isTrue();
        assertThat(StatusMatch.isValid("5.1")).as("a literal code has three parts").isFalse();
        assertThat(StatusMatch.isValid("5.x.1")).isFalse();
        assertThat(StatusMatch.isValid("5521")).isFalse();
    }

    @Test
    void theOperatorsFileComesFirst(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bounce-rules.txt");
        Files.writeString(file, """
                # This provider says 5.1.1 when the mailbox is over quota.
                mailbox_full   5.1.1   quota
                # Treat every listing as reputation, whatever the built-in rules say.
                REPUTATION     *       spamhaus
                """);
        BounceRules rules = BounceRules.withUserFile(file);

        assertThat(rules.classify(550, "5.1.1", "user quota exceeded").bounceClass()).isEqualTo(BounceClass.MAILBOX_FULL);
        assertThat(rules.classify(550, "5.1.1", "user quota exceeded").rule().get().origin()).isEqualTo(file + ":2");
        assertThat(rules.classify(550, "5.1.1", "no such user").bounceClass())
                .as("other 5.1.1 replies still reach the built-in rule").isEqualTo(BounceClass.BAD_MAILBOX);
        assertThat(rules.classify(554, "5.7.1", "blocked using zen.spamhaus.org").bounceClass()).isEqualTo(BounceClass.REPUTATION);
        assertThat(BUILT_IN.classify(554, "5.7.1", "blocked using zen.spamhaus.org").bounceClass()).isEqualTo(BounceClass.SPAM_BLOCK);
        assertThat(rules.rules()).hasSize(2 + BUILT_IN.rules().size());
    }

    @Test
    void aTextPatternMayContainSpacesAndIgnoresCase() {
        BounceRules rules = BounceRules.parse("POLICY  *  not   permitted here\n", "t");
        assertThat(rules.classify(550, null, "Sending NOT   PERMITTED HERE today").bounceClass()).isEqualTo(BounceClass.POLICY);
        assertThat(rules.classify(550, null, "not permitted").bounceClass()).isEqualTo(BounceClass.OTHER);
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertProblem("# ok\n\nBAD_MAILBOX 5.1.1\nSPAMMY * spam\n", 4, Problem.UNKNOWN_CLASS);
        assertProblem("BAD_MAILBOX\n", 1, Problem.MISSING_STATUS);
        assertProblem("BAD_MAILBOX 5.1\n", 1, Problem.BAD_STATUS);
        assertProblem("BAD_MAILBOX five.one.one\n", 1, Problem.BAD_STATUS);
        assertProblem("POLICY * \n\nPOLICY * (unclosed\n", 3, Problem.BAD_REGEX);
        assertProblem("POLICY * a\0b\n", 1, Problem.INVALID_TEXT);
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAtItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules");
        byte[] latin1 = "POLICY * ok\nPOLICY * caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, latin1);
        BounceRulesException e = catchThrowableOfType(BounceRulesException.class, () -> BounceRules.withUserFile(file));
        assertThat(e.problem()).isEqualTo(Problem.INVALID_TEXT);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo(file + ", line 2: not valid UTF-8");

        BounceRulesException missing = catchThrowableOfType(BounceRulesException.class,
                () -> BounceRules.withUserFile(dir.resolve("absent")));
        assertThat(missing.problem()).isEqualTo(Problem.UNREADABLE);
        assertThat(missing.line()).isZero();
    }

    @Test
    void everyClassHasABuiltInRule() {
        for (BounceClass c : BounceClass.values()) {
            if (c != BounceClass.OTHER) {
                assertThat(BUILT_IN.rules()).as(c.name()).anyMatch(r -> r.bounceClass() == c);
            }
        }
    }

    private static void assertProblem(String text, int line, Problem problem) {
        BounceRulesException e = catchThrowableOfType(BounceRulesException.class, () -> BounceRules.parse(text, "rules.txt"));
        assertThat(e).as(text).isNotNull();
        assertThat(e.line()).as(text).isEqualTo(line);
        assertThat(e.problem()).as(text).isEqualTo(problem);
        assertThat(e.getMessage()).startsWith("rules.txt, line " + line + ": ");
    }
}
