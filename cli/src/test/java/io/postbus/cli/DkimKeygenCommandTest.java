package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The printed record, published as printed, verifies what the written key signs. */
class DkimKeygenCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"rsa,2026q1,rsa-sha256", "ed25519,2026ed,ed25519-sha256"})
    void printedRecordVerifiesWhatTheWrittenKeySigns(String type, String selector, String algorithm) throws Exception {
        DkimKeygenCommand cmd = new DkimKeygenCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute("--domain", "Example.COM", "--selector", selector, "--type", type, "-D", dir.toString());
        assertThat(exit).isZero();

        Path key = dir.resolve(selector + ".private");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String record = out.toString(StandardCharsets.UTF_8);
        assertThat(record).startsWith(selector + "._domainkey").contains("v=DKIM1").contains("DKIM key " + selector + " for example.com");
        assertThat(Files.readString(dir.resolve(selector + ".txt"))).isEqualTo(record);

        var dns = ZoneFileResolver.fromString(".", "$ORIGIN example.com.\n" + record);
        byte[] msg = "From: a@example.com\r\nSubject: keygen\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);
        DkimSigningKey signing = DkimSigningKey.of("example.com", selector, PrivateKeyFiles.read(key));
        byte[] signed = DkimSigner.prepend(new DkimSigner(List.of(signing), DkimSigner.Settings.defaults(), Clock.systemUTC())
                .sign(RawMessage.parse(msg)), msg);
        List<DkimResult> results = new DkimVerifier(dns, Clock.systemUTC(), DkimVerifier.Settings.defaults())
                .verify(RawMessage.parse(signed));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo(DkimVerdict.PASS);
            assertThat(r.algorithm()).isEqualTo(algorithm);
        });

        int again = new CommandLine(cmd).execute("--domain", "example.com", "--selector", selector, "-D", dir.toString());
        assertThat(again).as("an existing key is never overwritten").isNotZero();
        assertThat(PrivateKeyFiles.read(key)).isEqualTo(signing.privateKey());
    }

    @ParameterizedTest
    @CsvSource({"--type,dsa", "--bits,512", "--domain,not_a_domain"})
    void refusesBadArguments(String option, String value) {
        DkimKeygenCommand cmd = new DkimKeygenCommand();
        cmd.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String[] args = option.equals("--domain")
                ? new String[] {"--domain", value, "--selector", "s1", "-D", dir.toString()}
                : new String[] {"--domain", "example.com", "--selector", "s1", option, value, "-D", dir.toString()};
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(cl.execute(args)).isNotZero();
        assertThat(dir.resolve("s1.private")).doesNotExist();
    }
}
