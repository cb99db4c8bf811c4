package io.postbus.delivery.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.Outcome;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maildir delivery on real directories: the spec's tmp/ → new/ protocol
 * (cr.yp.to/proto/maildir.html, "How a message is delivered"), Maildir++ sizes, and Postfix's
 * local(8)/virtual(8) conventions for the prepended headers and for deferring mailbox problems.
 */
class MaildirDeliveryAgentTest {
    private static final byte[] SIGNED = ("DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=from:to:subject;\r\n"
            + " bh=abc=; b=xyz=\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\n"
            + "Body line.\r\n.leading dot stays as it is\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private final Clock clock = Clock.systemUTC();

    private MaildirDeliveryAgent agent(MaildirWriter.ContentWriter writer) {
        return new MaildirDeliveryAgent(new MaildirWriter(new MaildirNames(clock, 77, "mx.example.net"), writer), clock);
    }

    private MaildirDeliveryAgent agent() {
        return new MaildirDeliveryAgent(new MaildirWriter(new MaildirNames(clock, 77, "mx.example.net")), clock);
    }

    private static DeliveryRequest request(Path dir, String sender, byte[] message, String... rcpts) {
        return new DeliveryRequest(Transport.MAILDIR, "example.net", dir == null ? null : dir.toString(), sender,
                Arrays.stream(rcpts).map(r -> new DeliveryRequest.Recipient(r, null, null)).toList(),
                message, false, false, null, null);
    }

    @Test
    void eachRecipientGetsExactlyOneFileInNewWithReturnPathAndDeliveredToAboveTheSignedBytes() throws IOException {
        Path maildir = root.resolve("example.net/bob/");
        DeliveryReport report = agent().deliver(request(maildir, "alice@example.org", SIGNED,
                "Bob@Example.NET", "bob+lists@example.net"));

        assertThat(report.results()).extracting(DeliveryReport.RecipientResult::outcome)
                .containsExactly(Outcome.DELIVERED, Outcome.DELIVERED);
        assertThat(report.results().get(0).reply().dsnStatus()).isEqualTo("2.0.0");
        assertThat(report.remoteHost()).isNull();
        List<Path> files = list(maildir.resolve("new"));
        assertThat(files).hasSize(2);
        assertThat(list(maildir.resolve("tmp"))).as("nothing left behind in tmp/").isEmpty();
        assertThat(list(maildir.resolve("cur"))).isEmpty();

        List<String> contents = files.stream().map(MaildirDeliveryAgentTest::read).sorted().toList();
        String original = new String(SIGNED, StandardCharsets.US_ASCII);
        // Postfix mail_copy(): Return-Path first, then Delivered-To, lower-cased.
        assertThat(contents).containsExactly(
                "Return-Path: <alice@example.org>\r\nDelivered-To: bob+lists@example.net\r\n" + original,
                "Return-Path: <alice@example.org>\r\nDelivered-To: bob@example.net\r\n" + original);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertThat(Arrays.copyOfRange(bytes, bytes.length - SIGNED.length, bytes.length))
                    .as("the signed message byte for byte").isEqualTo(SIGNED);
            // Maildir++: ,S=<size> is the file's size on disk.
            assertThat(MaildirNames.sizeOf(f.getFileName().toString())).isEqualTo(Files.size(f));
            assertThat(f.getFileName().toString()).matches("\\d+\\.M\\d+P77Q\\d+\\.mx\\.example\\.net,S=\\d+");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        }
        for (String sub : List.of("", "tmp", "new", "cur")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(maildir.resolve(sub))))
                    .as("mode 0700 on %s", sub).isEqualTo("rwx------");
        }
    }

    @Test
    void theNullSenderIsAnEmptyReturnPathAndLfMessagesGetLfHeaders() throws IOException {
        Path maildir = root.resolve("m");
        byte[] lf = "Subject: bounce\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
        agent().deliver(request(maildir, "", lf, "postmaster@example.net"));
        assertThat(read(list(maildir.resolve("new")).get(0)))
                .isEqualTo("Return-Path: <>\nDelivered-To: postmaster@example.net\nSubject: bounce\n\nbody\n");
    }

    @Test
    void anExistingMaildirIsUsedAsItIsAndAddsOneMoreFile() throws IOException {
        Path maildir = root.resolve("m");
        agent().deliver(request(maildir, "a@example.org", SIGNED, "b@example.net"));
        agent().deliver(request(maildir, "a@example.org", SIGNED, "b@example.net"));
        assertThat(list(maildir.resolve("new"))).hasSize(2);
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingInNewAndIsDeferredAsASystemError() throws IOException {
        Path maildir = root.resolve("m");
        // A full disk, as the kernel reports it: the first bytes go out, then ENOSPC.
        MaildirWriter.ContentWriter diskFull = (ch, content) -> {
            ch.write(ByteBuffer.wrap(content, 0, content.length / 2));
            throw new FileSystemException(maildir.resolve("tmp").toString(), null, "No space left on device");
        };
        DeliveryReport report = agent(diskFull).deliver(request(maildir, "a@example.org", SIGNED, "b@example.net", "c@example.net"));

        assertThat(report.results()).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.reply().code()).isEqualTo(451);
            assertThat(r.reply().dsnStatus()).isEqualTo("4.3.0");
            assertThat(r.reply().text()).contains("No space left on device");
        });
        assertThat(list(maildir.resolve("new"))).as("a reader never sees a partial message").isEmpty();
        assertThat(list(maildir.resolve("tmp"))).as("the partial tmp file is removed").isEmpty();
    }

    @Test
    void aMaildirPathThatIsAFileIsDeferredAsAMailboxProblemNotBounced() throws IOException {
        Path notADir = Files.writeString(root.resolve("bob"), "I am a file");
        DeliveryReport report = agent().deliver(request(notADir, "a@example.org", SIGNED, "bob@example.net"));
        DeliveryReport.RecipientResult r = report.results().get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(r.reply().code()).isEqualTo(450);
        assertThat(r.reply().dsnStatus()).isEqualTo("4.2.0");
        assertThat(Files.readString(notADir)).isEqualTo("I am a file");
    }

    @Test
    void aTmpThatIsAFileIsDeferredAndNothingReachesNew() throws IOException {
        Path maildir = root.resolve("m");
        Files.createDirectories(maildir.resolve("new"));
        Files.writeString(maildir.resolve("tmp"), "");
        DeliveryReport report = agent().deliver(request(maildir, "a@example.org", SIGNED, "bob@example.net"));
        assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(report.results().get(0).reply().dsnStatus()).isEqualTo("4.2.0");
        assertThat(list(maildir.resolve("new"))).isEmpty();
    }

    @Test
    void aReadOnlyTmpIsPermissionDeniedAndDeferred() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes through mode 0500");
        Path maildir = root.resolve("m");
        agent().deliver(request(maildir, "a@example.org", SIGNED, "bob@example.net"));
        Files.setPosixFilePermissions(maildir.resolve("tmp"), PosixFilePermissions.fromString("r-x------"));
        try {
            DeliveryReport report = agent().deliver(request(maildir, "a@example.org", SIGNED, "bob@example.net"));
            assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(report.results().get(0).reply().dsnStatus()).isEqualTo("4.2.0");
            assertThat(list(maildir.resolve("new"))).as("only the first delivery").hasSize(1);
        } finally {
            Files.setPosixFilePermissions(maildir.resolve("tmp"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aRelativeOrMissingDirectoryIsAConfigurationErrorAndDeferred() {
        for (String hop : new String[] {"relative/bob", null}) {
            DeliveryRequest req = new DeliveryRequest(Transport.MAILDIR, "example.net", hop, "a@example.org",
                    List.of(new DeliveryRequest.Recipient("bob@example.net", null, null)), SIGNED, false, false, null, null);
            DeliveryReport.RecipientResult r = agent().deliver(req).results().get(0);
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.reply().dsnStatus()).isEqualTo("4.3.5");
        }
        assertThat(Path.of("relative")).doesNotExist();
    }

    @Test
    void anAddressWithALineBreakWouldInjectAHeaderAndIsBounced() throws IOException {
        Path maildir = root.resolve("m");
        DeliveryReport report = agent().deliver(request(maildir, "a@example.org", SIGNED,
                "bob@example.net\r\nX-Evil: 1", "carol@example.net"));
        assertThat(report.results()).extracting(DeliveryReport.RecipientResult::outcome)
                .containsExactly(Outcome.BOUNCED, Outcome.DELIVERED);
        assertThat(report.results().get(0).reply().dsnStatus()).isEqualTo("5.1.3");
        assertThat(list(maildir.resolve("new"))).hasSize(1);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
