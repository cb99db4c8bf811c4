package io.postbus.loadtest.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.PeerUsage;
import io.postbus.testkit.PostfixSmtpSink;
import io.postbus.testkit.PrivatePostfix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Postfix peer with OpenDKIM as its milter signs what it relays, and the signatures verify with Postbus's
 * own verifier (RFC 6376 §6.1) against the public key, served from a zone in memory: nothing is published.
 */
class PrivatePostfixDkimTest {
    private static final String DOMAIN = "peer.example.com";
    private static final String SELECTOR = "bench";
    private static final int SIGNED = 10;

    @TempDir
    Path tmp;

    @Test
    void opendkimSignsMailFromItsDomainWithTheGivenKeyAndLeavesOtherMailAlone() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path swaks = ExternalTool.require("swaks");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path pem = tmp.resolve("dkim.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path dir = tmp.resolve("postfix");
        List<ProcessHandle> processes;
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(Files.createDirectories(tmp.resolve("sink")));
             PrivatePostfix postfix = PrivatePostfix.builder().relayTo("127.0.0.1", sink.address().getPort())
                     .dkim(DOMAIN, SELECTOR, pem)
                     .dkimHeaders(DkimSigner.DEFAULT_SIGNED_HEADERS, DkimSigner.DEFAULT_OVERSIGNED_HEADERS)
                     .start(dir)) {
            String server = "127.0.0.1:" + postfix.smtpAddress().getPort();
            for (int i = 0; i < SIGNED; i++) {
                swaks(swaks, server, "sender@" + DOMAIN, "signed " + i);
            }
            swaks(swaks, server, "sender@other.example.net", "unsigned");
            postfix.awaitQueueEmpty(Duration.ofSeconds(30));
            List<PostfixSmtpSink.Dump> dumps = sink.awaitDumps(SIGNED + 1, Duration.ofSeconds(30));

            DkimVerifier verifier = new DkimVerifier(publicKeyZone(keys), Clock.systemUTC(),
                    DkimVerifier.Settings.defaults());
            List<DkimResult> signed = new ArrayList<>();
            List<DkimResult> unsigned = new ArrayList<>();
            for (PostfixSmtpSink.Dump d : dumps) {
                String text = new String(d.message(), StandardCharsets.UTF_8);
                List<DkimResult> results = verifier.verify(RawMessage.parse(
                        text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
                (text.contains("Subject: unsigned") ? unsigned : signed).addAll(results);
                if (!text.contains("Subject: unsigned")) {
                    // Postbus's header lists: From oversigned, Message-Id (present) signed, X-Mailer (not listed) not.
                    assertThat(text).contains("c=relaxed/relaxed").containsPattern("h=[^;]*From[^;]*:from;")
                            .containsPattern("h=[^;]*Message-Id").doesNotContainPattern("h=[^;]*X-Mailer");
                }
            }
            assertThat(signed).hasSize(SIGNED).allSatisfy(r -> {
                assertThat(r.verdict()).as(r.reason()).isEqualTo(DkimVerdict.PASS);
                assertThat(r.domain()).isEqualTo(DOMAIN);
                assertThat(r.selector()).isEqualTo(SELECTOR);
            });
            assertThat(unsigned).extracting(DkimResult::verdict).containsExactly(DkimVerdict.NONE);

            processes = postfix.processes();
            assertThat(processes).extracting(p -> p.info().command().orElse("?"))
                    .anyMatch(c -> c.endsWith("/opendkim")).anyMatch(c -> c.endsWith("/master"));
            PeerUsage usage = postfix.usage();
            assertThat(usage.cpuSeconds()).isPositive();
            assertThat(usage.peakRssBytes()).isPositive();
            System.out.printf("private Postfix + OpenDKIM: %s%n", usage);
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(dir).doesNotExist();
    }

    private static void swaks(Path swaks, String server, String from, String subject) {
        ExternalTool.run(Duration.ofSeconds(30), List.of(swaks.toString(), "--server", server,
                "--from", from, "--to", "rcpt@example.net", "--header", "Subject: " + subject,
                "--body", "body of " + subject)).assertSuccess();
    }

    /** selector._domainkey.domain TXT "v=DKIM1; k=rsa; p=..." in 255-character strings (RFC 6376 §3.6.2.2). */
    private static ZoneFileResolver publicKeyZone(KeyPair keys) {
        String txt = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        StringBuilder zone = new StringBuilder(SELECTOR + "._domainkey." + DOMAIN + ". 300 IN TXT");
        for (int i = 0; i < txt.length(); i += 255) {
            zone.append(" \"").append(txt, i, Math.min(txt.length(), i + 255)).append('"');
        }
        return ZoneFileResolver.fromString(DOMAIN + ".", zone.append('\n').toString());
    }
}
