package io.postbus.core.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.dsn.MessageHeaders;
import org.junit.jupiter.api.Test;

/**
 * Reports are written per RFC 6522 (multipart/report), RFC 3464 (message/delivery-status), RFC 3461
 * (RET, ENVID, ORCPT) and RFC 3834 (Auto-Submitted), and read back with Angus Mail.
 */
class DsnComposerTest {
    static final Instant ARRIVED = Instant.parse("2025-06-01T08:00:00Z");
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String HOST = "mail.example.com";
    static final String ORIGINAL = "From: Alice <alice@example.org>\r\n"
            + "To: bob@example.net, carol@example.net\r\n"
            + "Subject: Quarterly figures\r\n"
            + "Message-ID: <q3@example.org>\r\n"
            + "\r\n"
            + "The figures are attached.\r\n"
            + "-- \r\nAlice\r\n";

    private final DsnComposer composer = new DsnComposer(HOST, DsnComposer.DEFAULT_SIZE_LIMIT, CLOCK);

    static OriginalMessage original(ReturnContent ret, String envid, String content) {
        return new OriginalMessage("4bWm5J1c2Rz1", "alice@example.org", envid, ret, ARRIVED, false,
                content.getBytes(StandardCharsets.UTF_8));
    }

    static RecipientStatus bobFailed() {
        return new RecipientStatus(new OriginalRecipient("bob@example.net", Set.of(NotifyOn.FAILURE), "rfc822;Bob@Example.NET"),
                DsnAction.FAILED, "5.1.1", "mx.example.net", "192.0.2.25",
                "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown", NOW.minusSeconds(5), null);
    }

    static RecipientStatus carolFailed() {
        return new RecipientStatus(OriginalRecipient.of("carol@example.net"), DsnAction.FAILED, "5.2.2", "mx.example.net",
                null, "552 5.2.2 mailbox full", NOW.minusSeconds(5), null);
    }

    private DsnMessage compose(DsnKind kind, OriginalMessage m, RecipientStatus... rs) {
        return composer.compose(new DsnRequest("4bWmBB2Dd3z1", kind, DsnTarget.TO_SENDER, m.sender(), m, List.of(rs)));
    }

    @Test
    void failureReportCarriesEveryFieldAndTheWholeMessage() throws Exception {
        DsnMessage dsn = compose(DsnKind.FAILURE, original(null, "QQ314159", ORIGINAL), bobFailed(), carolFailed());
        ParsedDsn p = ParsedDsn.parse(dsn.content());

        // RFC 5322 / RFC 3834 / RFC 6522 §3 headers of the report itself
        assertThat(p.header("From")).isEqualTo("Mail Delivery System <MAILER-DAEMON@mail.example.com>");
        assertThat(p.header("To")).isEqualTo("alice@example.org");
        assertThat(p.header("Subject")).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(p.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(p.header("Message-ID")).isEqualTo("<20250601120000.4bWmBB2Dd3z1@mail.example.com>").isEqualTo(dsn.messageId());
        assertThat(p.message.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(p.message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(p.header("Content-Transfer-Encoding")).as("all 7-bit").isNull();
        assertThat(dsn.sender()).isEmpty();
        assertThat(dsn.recipient()).isEqualTo("alice@example.org");
        assertThat(dsn.eightBit()).isFalse();
        assertThat(dsn.smtpUtf8()).isFalse();
        assertThat(p.report.getCount()).isEqualTo(3);

        // The part for people
        String text = flat(p.text());
        assertThat(text).startsWith("This is the mail system at host mail.example.com.");
        assertThat(text).contains("could not be delivered to one or more recipients");
        assertThat(text).contains("<bob@example.net>: host mx.example.net[192.0.2.25] said: 550 5.1.1");
        assertThat(text).contains("<carol@example.net>: host mx.example.net said: 552 5.2.2 mailbox full");

        // RFC 3464 §2.2 per-message fields
        assertThat(p.messageField("Reporting-MTA")).isEqualTo("dns; mail.example.com");
        assertThat(p.messageField("Original-Envelope-Id")).isEqualTo("QQ314159");
        assertThat(p.messageField("X-Postbus-Queue-ID")).isEqualTo("4bWm5J1c2Rz1");
        assertThat(p.messageField("X-Postbus-Sender")).isEqualTo("rfc822; alice@example.org");
        assertThat(date(p.messageField("Arrival-Date"))).isEqualTo(ARRIVED);

        // RFC 3464 §2.3 per-recipient fields
        assertThat(p.recipientCount()).isEqualTo(2);
        assertThat(p.recipientField(0, "Original-Recipient")).isEqualTo("rfc822; Bob@Example.NET");
        assertThat(p.recipientField(0, "Final-Recipient")).isEqualTo("rfc822; bob@example.net");
        assertThat(p.recipientField(0, "Action")).isEqualTo("failed");
        assertThat(p.recipientField(0, "Status")).isEqualTo("5.1.1");
        assertThat(p.recipientField(0, "Remote-MTA")).isEqualTo("dns; mx.example.net");
        assertThat(unfold(p.recipientField(0, "Diagnostic-Code")))
                .isEqualTo("smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
        assertThat(date(p.recipientField(0, "Last-Attempt-Date"))).isEqualTo(NOW.minusSeconds(5));
        assertThat(p.recipientField(0, "Will-Retry-Until")).isNull();
        assertThat(p.recipientField(1, "Original-Recipient")).as("no ORCPT, no field").isNull();
        assertThat(p.recipientField(1, "Final-Recipient")).isEqualTo("rfc822; carol@example.net");
        assertThat(p.recipientField(1, "Status")).isEqualTo("5.2.2");

        // No RET: the whole message, as Postfix (RFC 3461 §4.3 leaves it to the MTA)
        assertThat(p.part(2).getContentType()).isEqualTo("message/rfc822");
        MimeMessage returned = p.returned();
        assertThat(returned.getSubject()).isEqualTo("Quarterly figures");
        assertThat(returned.getMessageID()).isEqualTo("<q3@example.org>");
        assertThat(bytes(returned)).isEqualTo(ORIGINAL);
        assertSevenBitOutside(dsn.content(), null);
    }

    @Test
    void retFullReturnsTheMessageAndRetHdrsOnlyItsHeaders() throws Exception {
        ParsedDsn full = ParsedDsn.parse(compose(DsnKind.FAILURE, original(ReturnContent.FULL, null, ORIGINAL), bobFailed()).content());
        assertThat(full.part(2).getContentType()).isEqualTo("message/rfc822");
        assertThat(full.returned().getContent()).isEqualTo("The figures are attached.\r\n-- \r\nAlice\r\n");
        assertThat(full.messageField("Original-Envelope-Id")).as("no ENVID, no field").isNull();

        ParsedDsn hdrs = ParsedDsn.parse(compose(DsnKind.FAILURE, original(ReturnContent.HDRS, null, ORIGINAL), bobFailed()).content());
        assertThat(hdrs.part(2).getContentType()).isEqualTo("text/rfc822-headers");
        MimeMessage headers = hdrs.returned();
        assertThat(headers).isInstanceOf(MessageHeaders.class);
        assertThat(headers.getSubject()).isEqualTo("Quarterly figures");
        assertThat(headers.getHeader("From", null)).isEqualTo("Alice <alice@example.org>");
        assertThat(rawPart(hdrs.part(2))).isEqualTo(ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 2))
                .doesNotContain("The figures are attached");
    }

    @Test
    void delayWarningSaysWhenRetriesEndAndReturnsHeadersOnly() throws Exception {
        Instant until = ARRIVED.plus(Duration.ofDays(5));
        RecipientStatus delayed = new RecipientStatus(OriginalRecipient.of("bob@example.net"), DsnAction.DELAYED, "4.4.1",
                null, null, "connect to mx.example.net[192.0.2.25]:25: Connection refused", NOW, until);
        DsnMessage dsn = compose(DsnKind.DELAY, original(ReturnContent.FULL, "QQ1", ORIGINAL), delayed);
        ParsedDsn p = ParsedDsn.parse(dsn.content());

        assertThat(p.header("Subject")).isEqualTo("Delayed Mail (still being retried)");
        assertThat(flat(p.text())).contains("THIS IS A WARNING ONLY")
                .contains("could not be delivered for 4.0 hours")
                .contains("until it is 5.0 days old")
                .contains("<bob@example.net>: connect to mx.example.net[192.0.2.25]:25: Connection refused");
        assertThat(p.recipientField(0, "Action")).isEqualTo("delayed");
        assertThat(p.recipientField(0, "Status")).isEqualTo("4.4.1");
        assertThat(p.recipientField(0, "Remote-MTA")).as("no server answered").isNull();
        assertThat(unfold(p.recipientField(0, "Diagnostic-Code")))
                .isEqualTo("X-Postbus; connect to mx.example.net[192.0.2.25]:25: Connection refused");
        assertThat(date(p.recipientField(0, "Will-Retry-Until"))).isEqualTo(until);
        // RFC 3461 §4.3: a DSN without failures SHOULD return headers only, whatever RET says.
        assertThat(p.part(2).getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(p.text()).doesNotContain("only its headers are returned");
    }

    @Test
    void successReportSaysRelayedAndReturnsHeadersOnly() throws Exception {
        RecipientStatus relayed = new RecipientStatus(
                new OriginalRecipient("bob@example.net", Set.of(NotifyOn.SUCCESS), "rfc822;bob@example.net"),
                DsnAction.RELAYED, "2.0.0", "mx.example.net", "192.0.2.25", "250 2.0.0 Ok: queued as 4XyZ", NOW, null);
        ParsedDsn p = ParsedDsn.parse(compose(DsnKind.SUCCESS, original(ReturnContent.FULL, "QQ2", ORIGINAL), relayed).content());

        assertThat(p.header("Subject")).isEqualTo("Successful Mail Delivery Report");
        assertThat(p.text()).contains("relayed").doesNotContain("For further assistance");
        assertThat(p.recipientField(0, "Action")).isEqualTo("relayed");
        assertThat(p.recipientField(0, "Status")).isEqualTo("2.0.0");
        assertThat(p.recipientField(0, "Original-Recipient")).isEqualTo("rfc822; bob@example.net");
        assertThat(p.messageField("Original-Envelope-Id")).isEqualTo("QQ2");
        assertThat(p.part(2).getContentType()).isEqualTo("text/rfc822-headers");
    }

    @Test
    void aMessageOverTheSizeLimitComesBackAsHeaders() throws Exception {
        String big = ORIGINAL + "x".repeat(900).concat("\r\n").repeat(60); // about 54 kB
        DsnMessage dsn = compose(DsnKind.FAILURE, original(ReturnContent.FULL, null, big), bobFailed());
        ParsedDsn p = ParsedDsn.parse(dsn.content());
        assertThat(p.part(2).getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(p.returned().getSubject()).isEqualTo("Quarterly figures");
        assertThat(p.text()).contains("larger than 50000 bytes").contains("only its headers are returned");
        assertThat(dsn.content().length).isLessThan(5000);

        DsnComposer generous = new DsnComposer(HOST, 100_000, CLOCK);
        OriginalMessage m = original(ReturnContent.FULL, null, big);
        ParsedDsn whole = ParsedDsn.parse(generous.compose(
                new DsnRequest("Q", DsnKind.FAILURE, DsnTarget.TO_SENDER, m.sender(), m, List.of(bobFailed()))).content());
        assertThat(whole.part(2).getContentType()).isEqualTo("message/rfc822");
        assertThat(bytes(whole.returned())).isEqualTo(big);
    }

    @Test
    void headersOverTheLimitAreCutBetweenFields() throws Exception {
        String folded = "Received: from a.example (a.example [192.0.2.1])\r\n\tby b.example with ESMTP id 1;\r\n\tSun, 1 Jun 2025\r\n";
        String headers = folded.repeat(10) + "Subject: last\r\n\r\nbody\r\n";
        DsnComposer tiny = new DsnComposer(HOST, folded.length() * 3 + 10, CLOCK);
        OriginalMessage m = original(ReturnContent.FULL, null, headers);
        ParsedDsn p = ParsedDsn.parse(tiny.compose(
                new DsnRequest("Q", DsnKind.FAILURE, DsnTarget.TO_SENDER, m.sender(), m, List.of(bobFailed()))).content());
        assertThat(rawPart(p.part(2))).isEqualTo(folded.repeat(3));
        assertThat(p.returned().getHeader("Received")).hasSize(3);
    }

    @Test
    void eightBitContentTravelsAs8bitAndEverythingElseStaysAscii() throws Exception {
        String utf8 = "From: Jörg <joerg@example.org>\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\n";
        RecipientStatus weird = new RecipientStatus(OriginalRecipient.of("bob@example.net"), DsnAction.FAILED, "5.7.1",
                "mx.example.net", null, "550 5.7.1 Zurückgewiesen\r\n550 5.7.1 second line", NOW, null);
        DsnMessage dsn = compose(DsnKind.FAILURE, original(null, null, utf8), weird);
        ParsedDsn p = ParsedDsn.parse(dsn.content());

        assertThat(dsn.eightBit()).isTrue();
        assertThat(dsn.smtpUtf8()).isFalse();
        assertThat(p.header("Content-Transfer-Encoding")).isEqualTo("8bit");
        assertThat(p.part(2).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(p.returned().getContent()).isEqualTo("Grüße aus Köln\r\n");
        assertThat(bytes(p.returned())).isEqualTo(utf8);
        // A remote reply's 8-bit text and line breaks do not leak into the 7-bit parts.
        assertThat(unfold(p.recipientField(0, "Diagnostic-Code"))).isEqualTo("smtp; 550 5.7.1 Zur?ckgewiesen 550 5.7.1 second line");
        assertSevenBitOutside(dsn.content(), p.part(2));
    }

    @Test
    void smtpUtf8AddressesMakeAGlobalReport() throws Exception {
        // RFC 6533: message/global-delivery-status with the utf-8 address type; sent with SMTPUTF8.
        OriginalMessage m = new OriginalMessage("Q1", "jörg@bücher.example", null, ReturnContent.FULL, ARRIVED, true,
                "From: jörg@bücher.example\r\nSubject: Grüße\r\n\r\nhallo\r\n".getBytes(StandardCharsets.UTF_8));
        RecipientStatus r = new RecipientStatus(new OriginalRecipient("ñandú@example.net", Set.of(), "utf-8;ñandú@example.net"),
                DsnAction.FAILED, "5.1.1", "mx.example.net", null, "550 5.1.1 ñandú unknown", NOW, null);
        DsnMessage dsn = composer.compose(new DsnRequest("Q2", DsnKind.FAILURE, DsnTarget.TO_SENDER, m.sender(), m, List.of(r)));
        ParsedDsn p = ParsedDsn.parse(dsn.content());

        assertThat(dsn.smtpUtf8()).isTrue();
        assertThat(dsn.eightBit()).isTrue();
        assertThat(p.message.getContentType()).contains("report-type=global-delivery-status");
        assertThat(p.part(1).getContentType()).isEqualTo("message/global-delivery-status");
        assertThat(p.part(2).getContentType()).isEqualTo("message/global");
        List<InternetHeaders> blocks = ParsedDsn.blocks(p.part(1));
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).getHeader("X-Postbus-Sender", null)).isEqualTo("utf-8; jörg@bücher.example");
        assertThat(blocks.get(1).getHeader("Final-Recipient", null)).isEqualTo("utf-8; ñandú@example.net");
        assertThat(blocks.get(1).getHeader("Original-Recipient", null)).isEqualTo("utf-8; ñandú@example.net");
        assertThat(blocks.get(1).getHeader("Diagnostic-Code", null)).isEqualTo("smtp; 550 5.1.1 ñandú unknown");
    }

    @Test
    void anAsciiReportWritesAStrayUtf8AddressAsXtext() {
        // A non-ASCII address without SMTPUTF8 should not happen; if it does, RFC 6533 §3's
        // utf-8-addr-xtext keeps the report ASCII-safe.
        assertThat(Utf8AddrXtext.encode("ñ+x@e.net")).isEqualTo("\\x{F1}\\x{2B}x@e.net");
    }

    @Test
    void doubleBounceGoesToThePostmasterWithItsOwnWords() throws Exception {
        OriginalMessage bounce = new OriginalMessage("Q3", "", null, null, ARRIVED, false, ORIGINAL.getBytes(StandardCharsets.UTF_8));
        RecipientStatus r = new RecipientStatus(OriginalRecipient.of("alice@example.org"), DsnAction.FAILED, "5.1.1",
                "mx.example.org", null, "550 5.1.1 unknown", NOW, null);
        DsnMessage dsn = composer.compose(new DsnRequest("Q4", DsnKind.FAILURE, DsnTarget.TO_POSTMASTER,
                "postmaster@mail.example.com", bounce, List.of(r)));
        ParsedDsn p = ParsedDsn.parse(dsn.content());
        assertThat(p.header("To")).isEqualTo("postmaster@mail.example.com");
        assertThat(p.header("Subject")).isEqualTo("Postmaster Copy: Undelivered Mail");
        assertThat(p.text()).contains("null sender").contains("comes to the postmaster");
        assertThat(p.messageField("X-Postbus-Sender")).as("the null sender is not reported as an address").isNull();
        assertThat(p.returned().getSubject()).isEqualTo("Quarterly figures");
    }

    @Test
    void theBoundaryNeverOccursInTheReturnedMessage() throws Exception {
        String trap = "Subject: trap\r\n\r\n--4bWmBB2Dd3z1." + NOW.getEpochSecond() + "/" + HOST + "\r\nnot a part\r\n";
        ParsedDsn p = ParsedDsn.parse(compose(DsnKind.FAILURE, original(null, null, trap), bobFailed()).content());
        assertThat(p.report.getCount()).isEqualTo(3);
        assertThat(bytes(p.returned())).isEqualTo(trap);
    }

    @Test
    void longDiagnosticsAreFoldedWithinTheLineLimit() throws Exception {
        String reply = "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users,"
                + " and has been blocked. The sender must authenticate with at least one of SPF or DKIM. For this message,"
                + " DKIM checks did not pass and SPF check for [example.org] did not pass with ip: [192.0.2.1].";
        RecipientStatus r = new RecipientStatus(OriginalRecipient.of("bob@example.net"), DsnAction.FAILED, "5.7.26",
                "gmail-smtp-in.l.google.com", null, reply, NOW, null);
        DsnMessage dsn = compose(DsnKind.FAILURE, original(null, null, ORIGINAL), r);
        ParsedDsn p = ParsedDsn.parse(dsn.content());
        assertThat(unfold(p.recipientField(0, "Diagnostic-Code"))).isEqualTo("smtp; " + reply);
        String report = new String(dsn.content(), StandardCharsets.US_ASCII);
        String part = report.substring(report.indexOf("Reporting-MTA"), report.indexOf("Content-Description: Returned"));
        assertThat(part.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void recordsRejectWhatWouldBreakTheReport() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecipientStatus(OriginalRecipient.of("b@x"),
                DsnAction.DELIVERED, "5.1.1", null, null, null, NOW, null)).hasMessageContaining("does not fit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecipientStatus(OriginalRecipient.of("b@x"),
                DsnAction.DELAYED, "4.4.1", null, null, null, NOW, null)).hasMessageContaining("willRetryUntil");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginalRecipient.of("b@x\r\nBcc: evil@x"))
                .hasMessageContaining("CR or LF");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OriginalRecipient("b@x", Set.of(), "b@x"))
                .hasMessageContaining("addr-type");
        OriginalMessage m = original(null, null, ORIGINAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DsnRequest("Q", DsnKind.DELAY, DsnTarget.TO_SENDER,
                "a@x", m, List.of(bobFailed()))).hasMessageContaining("does not belong");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DsnRequest("Q", DsnKind.FAILURE, DsnTarget.TO_SENDER,
                "", m, List.of(bobFailed()))).hasMessageContaining("null sender");
    }

    static Instant date(String rfc5322) throws Exception {
        return new MailDateFormat().parse(rfc5322).toInstant();
    }

    /** The text part with wrapped recipient paragraphs joined again. */
    static String flat(String text) {
        return text.replaceAll("\r?\n {4}", " ");
    }

    static String unfold(String field) {
        return field.replaceAll("\r\n[ \t]+", " ");
    }

    static String bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String rawPart(BodyPart part) throws Exception {
        try (var in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every octet outside the returned part is 7-bit, and every line ends in CRLF. */
    static void assertSevenBitOutside(byte[] content, BodyPart returned) throws Exception {
        String all = new String(content, StandardCharsets.ISO_8859_1);
        String skip = returned == null ? "" : new String(rawPart(returned).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String rest = skip.isEmpty() ? all : all.replace(skip, "");
        assertThat(rest.chars()).allMatch(c -> c < 128);
        assertThat(all.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }
}
