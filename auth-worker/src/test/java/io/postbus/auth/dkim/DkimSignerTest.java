package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DkimSigner (RFC 6376 §5) checked by verifying what it signs with DkimVerifier. */
class DkimSignerTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    static final DkimSigningKey RSA = DkimSigningKey.of("example.com", "rsa", TestKeys.rsa(2048).getPrivate());
    static final DkimSigningKey ED = DkimSigningKey.of("example.com", "ed", TestKeys.ed25519().getPrivate());
    static final DkimVerifier VERIFIER = new DkimVerifier(new TestDns()
            .txt("rsa._domainkey.example.com", TestKeys.record(TestKeys.rsa(2048).getPublic()))
            .txt("ed._domainkey.example.com", TestKeys.record(TestKeys.ed25519().getPublic()))
            .resolver(), NOW, DkimVerifier.Settings.defaults());

    static Stream<Arguments> everyCombination() {
        List<Arguments> out = new ArrayList<>();
        for (DkimSigningKey key : List.of(RSA, ED)) {
            for (Canonicalization h : Canonicalization.values()) {
                for (Canonicalization b : Canonicalization.values()) {
                    for (String message : List.of(Messages.SIMPLE, Messages.UNTIDY)) {
                        out.add(Arguments.of(key, h, b, message));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} c={1}/{2}")
    @MethodSource("everyCombination")
    void signThenVerifyPassesForEveryCanonicalizationAndAlgorithm(DkimSigningKey key, Canonicalization h,
                                                                  Canonicalization b, String message) throws Exception {
        DkimSigner signer = new DkimSigner(List.of(key), DkimSigner.Settings.defaults().withCanonicalization(h, b), NOW);
        byte[] signed = signed(signer, Messages.bytes(message));

        List<DkimResult> results = VERIFIER.verify(RawMessage.parse(signed));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.verdict()).as(r.reason()).isEqualTo(DkimVerdict.PASS);
            assertThat(r.algorithm()).isEqualTo(key.algorithm().tagValue());
        });
        HeaderField field = RawMessage.parse(signed).headers("DKIM-Signature").get(0);
        assertThat(field.unfoldedValue()).contains("c=" + h.tagValue() + "/" + b.tagValue() + ";");
    }

    @Test
    void dualSigningGivesOneFieldPerKeyAndBothVerify() throws Exception {
        DkimSigner signer = new DkimSigner(List.of(RSA, ED), DkimSigner.Settings.defaults(), NOW);
        RawMessage message = RawMessage.parse(Messages.bytes(Messages.SIMPLE));
        List<HeaderField> fields = signer.sign(message);

        assertThat(fields).hasSize(2);
        List<DkimResult> results = VERIFIER.verify(RawMessage.parse(DkimSigner.prepend(fields, message.bytes())));
        assertThat(results).extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS, DkimVerdict.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");
    }

    @Test
    void everyLineIsFoldedWithinSeventyEightCharacters() throws Exception {
        DkimSigningKey longNames = DkimSigningKey.of("a-rather-long-subdomain.of-an-even-longer-organisation.example.com",
                "selector-with-a-long-name-2024-05", TestKeys.rsa(2048).getPrivate());
        DkimSigner signer = new DkimSigner(List.of(longNames, ED), DkimSigner.Settings.defaults(), NOW);
        for (HeaderField f : signer.sign(RawMessage.parse(Messages.bytes(Messages.UNTIDY)))) {
            String text = new String(f.raw(), StandardCharsets.UTF_8);
            assertThat(text).endsWith("\r\n").startsWith("DKIM-Signature: v=1; a=");
            for (String line : text.split("\r\n")) {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
            }
            assertThat(text.replace("\r\n\t", "")).doesNotContain("\r\n ").doesNotContain("\n\n");
        }
    }

    @Test
    void signsOnlyHeadersPresentEachInstanceAndOversignsFrom() throws Exception {
        String message = "Received: a\r\nFrom: a@example.com\r\nTo: b@example.net\r\nTo: c@example.net\r\n"
                + "Subject: s\r\nX-Mailer: m\r\n\r\nbody\r\n";
        HeaderField field = new DkimSigner(List.of(ED), DkimSigner.Settings.defaults(), NOW)
                .sign(RawMessage.parse(Messages.bytes(message))).get(0);
        String h = TagList.parse(field.unfoldedValue()).require("h");
        // RFC 6376 §5.4.2: one entry per instance; §8.15: From once more than it occurs.
        assertThat(TagList.withoutWhitespace(h)).isEqualTo("from:from:subject:to:to");
    }

    @Test
    void oversignedFromMakesAnAddedFromBreakTheSignatureWhileOtherAddedFieldsDoNot() throws Exception {
        byte[] signed = signed(new DkimSigner(List.of(RSA), DkimSigner.Settings.defaults(), NOW), Messages.bytes(Messages.SIMPLE));
        String text = new String(signed, StandardCharsets.UTF_8);

        assertThat(verdict("X-Foo: bar\r\n" + text)).isEqualTo(DkimVerdict.PASS);
        assertThat(verdict("From: evil@example.org\r\n" + text)).isEqualTo(DkimVerdict.FAIL);
        assertThat(verdict(text.replace("\r\n\r\nHi.", "\r\nFrom: evil@example.org\r\n\r\nHi."))).isEqualTo(DkimVerdict.FAIL);
    }

    @Test
    void relaxedSurvivesRefoldingAndSimpleDoesNot() throws Exception {
        for (Canonicalization c : Canonicalization.values()) {
            DkimSigner signer = new DkimSigner(List.of(ED), DkimSigner.Settings.defaults().withCanonicalization(c, c), NOW);
            String text = new String(signed(signer, Messages.bytes(Messages.SIMPLE)), StandardCharsets.UTF_8);
            String refolded = text.replace("Subject: Is dinner ready?", "Subject: Is dinner\r\n  ready?")
                    .replace("Are you hungry yet?", "Are you hungry yet?   ");
            assertThat(verdict(refolded)).as(c.tagValue()).isEqualTo(c == Canonicalization.RELAXED ? DkimVerdict.PASS : DkimVerdict.FAIL);
        }
    }

    @Test
    void timestampComesFromTheClockAndExpiryFromTheLifetime() throws Exception {
        DkimSigner signer = new DkimSigner(List.of(ED),
                DkimSigner.Settings.defaults().withSignatureLifetime(Duration.ofDays(7)), NOW);
        DkimSignature sig = DkimSignature.parse(signer.sign(RawMessage.parse(Messages.bytes(Messages.SIMPLE))).get(0));
        assertThat(sig.timestamp()).contains(NOW.instant());
        assertThat(sig.expiration()).contains(NOW.instant().plus(Duration.ofDays(7)));
        assertThat(sig.bodyLength()).isEmpty(); // never l= (RFC 6376 §8.2)
    }

    @Test
    void identityIsWrittenAsDkimQuotedPrintableAndVerifies() throws Exception {
        DkimSigningKey withI = ED.withIdentity(Optional.of("joe;x=y@news.example.com"));
        byte[] signed = signed(new DkimSigner(List.of(withI), DkimSigner.Settings.defaults(), NOW), Messages.bytes(Messages.SIMPLE));
        HeaderField field = RawMessage.parse(signed).headers("DKIM-Signature").get(0);
        assertThat(field.unfoldedValue()).contains("i=joe=3Bx=3Dy@news.example.com;");
        DkimResult r = VERIFIER.verify(RawMessage.parse(signed)).get(0);
        assertThat(r.verdict()).isEqualTo(DkimVerdict.PASS);
        assertThat(r.identity()).isEqualTo("joe;x=y@news.example.com");
    }

    @Test
    void aMessageWithoutFromIsRefused() {
        DkimSigner signer = new DkimSigner(List.of(RSA), DkimSigner.Settings.defaults(), NOW);
        assertThatThrownBy(() -> signer.sign(RawMessage.parse(Messages.bytes("To: a@example.com\r\n\r\nhi\r\n"))))
                .isInstanceOf(DkimSigner.UnsignableMessageException.class).hasMessageContaining("From");
    }

    @Test
    void keysMustFitTheirAlgorithmAndIdentitiesTheirDomain() {
        assertThatThrownBy(() -> new DkimSigningKey("example.com", "s", SigningAlgorithm.ED25519_SHA256,
                TestKeys.rsa(2048).getPrivate(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ED.withIdentity(Optional.of("joe@example.org")))
                .hasMessageContaining("not within d=");
        assertThat(ED.withIdentity(Optional.of("@mail.EXAMPLE.com")).identity()).contains("@mail.EXAMPLE.com");
        assertThat(ED.toString()).doesNotContain("Ed25519 private").contains("s=ed");
    }

    @Test
    void signingTwiceAtTheSameTimeIsDeterministicForEd25519() throws Exception {
        DkimSigner signer = new DkimSigner(List.of(ED), DkimSigner.Settings.defaults(), NOW);
        RawMessage m = RawMessage.parse(Messages.bytes(Messages.SIMPLE));
        assertThat(Arrays.equals(signer.sign(m).get(0).raw(), signer.sign(m).get(0).raw())).isTrue();
    }

    static byte[] signed(DkimSigner signer, byte[] message) throws DkimSigner.UnsignableMessageException {
        return DkimSigner.prepend(signer.sign(RawMessage.parse(message)), message);
    }

    static DkimVerdict verdict(String message) {
        return VERIFIER.verify(RawMessage.parse(message.getBytes(StandardCharsets.UTF_8))).get(0).verdict();
    }
}
