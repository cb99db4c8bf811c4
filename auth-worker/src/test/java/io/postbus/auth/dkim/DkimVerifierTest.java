package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResult;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DkimVerifier: RFC 6376 §6.1 step by step, RFC 8301 and the RFC 8601 §2.7.1 verdict for each outcome. */
class DkimVerifierTest {
    static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
    static final Clock NOW = Clock.fixed(T, ZoneOffset.UTC);
    static final KeyPair RSA = TestKeys.rsa(1024);
    static final KeyPair ED = TestKeys.ed25519();
    static final String ED_TAGS = "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=ed; h=from:to:subject";
    static final String RSA_TAGS = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa; h=from:to:subject";

    static TestDns dns() {
        return new TestDns()
                .txt("ed._domainkey.example.com", TestKeys.record(ED.getPublic()))
                .txt("rsa._domainkey.example.com", TestKeys.record(RSA.getPublic()));
    }

    static DkimResult verifyOne(TestDns dns, String message) {
        List<DkimResult> results = verify(dns, message);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    static List<DkimResult> verify(TestDns dns, String message) {
        return new DkimVerifier(dns.resolver(), NOW, DkimVerifier.Settings.defaults())
                .verify(RawMessage.parse(message.getBytes(StandardCharsets.UTF_8)));
    }

    static String sign(PrivateKey key, String tags) {
        return Crafted.signed(Messages.SIMPLE, key, tags);
    }

    static void assertVerdict(DkimResult r, DkimVerdict verdict, String reason) {
        assertThat(r.verdict()).as(r.reason()).isEqualTo(verdict);
        assertThat(r.reason()).contains(reason);
    }

    @Test
    void anUnsignedMessageGetsNone() {
        assertThat(verify(dns(), Messages.SIMPLE)).containsExactly(DkimResult.none());
    }

    @Test
    void aGoodSignaturePassesAndReportsItsIdentifiers() {
        DkimResult r = verifyOne(dns(), sign(ED.getPrivate(), ED_TAGS + "; i=joe@mail.example.com"));
        assertVerdict(r, DkimVerdict.PASS, "");
        assertThat(r.domain()).isEqualTo("example.com");
        assertThat(r.selector()).isEqualTo("ed");
        assertThat(r.identity()).isEqualTo("joe@mail.example.com");
        assertThat(r.algorithm()).isEqualTo("ed25519-sha256");
        assertThat(r.keyBits()).isEqualTo(256);
        assertThat(r.testing()).isFalse();
    }

    @Test
    void aChangedBodyFailsOnTheBodyHash() {
        String m = sign(ED.getPrivate(), ED_TAGS).replace("Joe.", "Jim.");
        assertVerdict(verifyOne(dns(), m), DkimVerdict.FAIL, "body hash did not verify");
    }

    @Test
    void aChangedSignedHeaderFailsOnTheSignature() {
        String m = sign(RSA.getPrivate(), RSA_TAGS).replace("Subject: Is dinner ready?", "Subject: Is lunch ready?");
        assertVerdict(verifyOne(dns(), m), DkimVerdict.FAIL, "signature did not verify");
    }

    @Test
    void aChangedUnsignedHeaderStillPasses() {
        String m = sign(RSA.getPrivate(), RSA_TAGS).replace("Message-ID: <2003", "Message-ID: <1999");
        assertVerdict(verifyOne(dns(), m), DkimVerdict.PASS, "");
    }

    @Test
    void aKeyFromAnotherPairFails() {
        TestDns dns = new TestDns().txt("ed._domainkey.example.com", TestKeys.record(TestKeys.otherEd25519().getPublic()));
        assertVerdict(verifyOne(dns, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.FAIL, "signature did not verify");
    }

    @Test
    void rsaSha1IsAPermanentErrorNotAPass() {
        // RFC 8301 §3.1. The signature need not even be valid: it is refused before any cryptography.
        String m = sign(RSA.getPrivate(), RSA_TAGS).replace("a=rsa-sha256", "a=rsa-sha1");
        DkimResult r = verifyOne(dns(), m);
        assertVerdict(r, DkimVerdict.PERMERROR, "rsa-sha1 not accepted");
        assertThat(r.algorithm()).isEqualTo("rsa-sha1");
        assertThat(r.domain()).isEqualTo("example.com");
        assertThat(r.headerB()).hasSize(8);
    }

    @Test
    void expiredSignaturesArePermanentErrors() {
        long t = T.getEpochSecond();
        assertVerdict(verifyOne(dns(), sign(ED.getPrivate(), ED_TAGS + "; t=" + (t - 100) + "; x=" + (t - 1))),
                DkimVerdict.PERMERROR, "signature expired");
        assertVerdict(verifyOne(dns(), sign(ED.getPrivate(), ED_TAGS + "; t=" + (t - 100) + "; x=" + t)),
                DkimVerdict.PASS, "");
    }

    @Test
    void aTimestampInTheFutureIsRefusedBeyondTheAllowedSkew() {
        long t = T.getEpochSecond();
        assertVerdict(verifyOne(dns(), sign(ED.getPrivate(), ED_TAGS + "; t=" + (t + 299))), DkimVerdict.PASS, "");
        assertVerdict(verifyOne(dns(), sign(ED.getPrivate(), ED_TAGS + "; t=" + (t + 301))),
                DkimVerdict.PERMERROR, "timestamp in the future");
    }

    @Test
    void dnsFailureIsATemporaryError() {
        TestDns dns = dns().failure("ed._domainkey.example.com", DnsResult.Failure.Kind.SERVFAIL);
        assertVerdict(verifyOne(dns, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.TEMPERROR, "key unavailable");
        TestDns timeout = dns().failure("ed._domainkey.example.com", DnsResult.Failure.Kind.TIMEOUT);
        assertVerdict(verifyOne(timeout, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.TEMPERROR, "TIMEOUT");
    }

    @Test
    void noKeyIsAPermanentError() {
        assertVerdict(verifyOne(new TestDns(), sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.PERMERROR, "no key for signature");
    }

    @Test
    void aRevokedKeyIsAPermanentError() {
        TestDns dns = new TestDns().txt("ed._domainkey.example.com", "v=DKIM1; k=ed25519; p=");
        assertVerdict(verifyOne(dns, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.PERMERROR, "key revoked");
    }

    @Test
    void aBrokenKeyRecordIsAPermanentError() {
        TestDns dns = new TestDns().txt("ed._domainkey.example.com", "v=DKIM1; k=ed25519; p=AAAA");
        assertVerdict(verifyOne(dns, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.PERMERROR, "key syntax error");
        TestDns noP = new TestDns().txt("ed._domainkey.example.com", "v=DKIM1; k=ed25519");
        assertVerdict(verifyOne(noP, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.PERMERROR, "key syntax error");
    }

    @Test
    void aKeyOfAnotherTypeThanTheAlgorithmIsAPermanentError() {
        TestDns dns = new TestDns().txt("ed._domainkey.example.com", TestKeys.record(RSA.getPublic()));
        assertVerdict(verifyOne(dns, sign(ED.getPrivate(), ED_TAGS)), DkimVerdict.PERMERROR, "inappropriate key algorithm");
    }

    @Test
    void keyRecordHashAndServiceRestrictionsAreHonoured() {
        TestDns sha1Only = new TestDns().txt("rsa._domainkey.example.com", TestKeys.record(RSA.getPublic(), "h=sha1; "));
        assertVerdict(verifyOne(sha1Only, sign(RSA.getPrivate(), RSA_TAGS)), DkimVerdict.PERMERROR, "inappropriate hash algorithm");
        TestDns both = new TestDns().txt("rsa._domainkey.example.com", TestKeys.record(RSA.getPublic(), "h=sha1:sha256; "));
        assertVerdict(verifyOne(both, sign(RSA.getPrivate(), RSA_TAGS)), DkimVerdict.PASS, "");
        TestDns web = new TestDns().txt("rsa._domainkey.example.com", TestKeys.record(RSA.getPublic(), "s=web; "));
        assertVerdict(verifyOne(web, sign(RSA.getPrivate(), RSA_TAGS)), DkimVerdict.PERMERROR, "not for e-mail");
        TestDns email = new TestDns().txt("rsa._domainkey.example.com", TestKeys.record(RSA.getPublic(), "s=web:email; "));
        assertVerdict(verifyOne(email, sign(RSA.getPrivate(), RSA_TAGS)), DkimVerdict.PASS, "");
    }

    @Test
    void strictKeysForbidAnIdentityInASubdomain() {
        TestDns strict = new TestDns().txt("ed._domainkey.example.com", TestKeys.record(ED.getPublic(), "t=s; "));
        assertVerdict(verifyOne(strict, sign(ED.getPrivate(), ED_TAGS + "; i=joe@mail.example.com")),
                DkimVerdict.PERMERROR, "t=s");
        assertVerdict(verifyOne(strict, sign(ED.getPrivate(), ED_TAGS + "; i=joe@EXAMPLE.com")), DkimVerdict.PASS, "");
    }

    @Test
    void testingKeysAreReportedAsSuch() {
        TestDns testing = new TestDns().txt("ed._domainkey.example.com", TestKeys.record(ED.getPublic(), "t=y; "));
        DkimResult r = verifyOne(testing, sign(ED.getPrivate(), ED_TAGS));
        assertVerdict(r, DkimVerdict.PASS, "");
        assertThat(r.testing()).isTrue();
    }

    @Test
    void rsaKeysUnder1024BitsAreRefusedByPolicy() {
        KeyPair small = TestKeys.rsa(512);
        TestDns dns = new TestDns().txt("rsa._domainkey.example.com", TestKeys.record(small.getPublic()));
        DkimResult r = verifyOne(dns, sign(small.getPrivate(), RSA_TAGS));
        assertVerdict(r, DkimVerdict.POLICY, "key too small (512 bits)");
        assertThat(r.keyBits()).isEqualTo(512);
        DkimVerifier lenient = new DkimVerifier(dns.resolver(), NOW, new DkimVerifier.Settings(512, 10, Duration.ZERO));
        assertThat(lenient.verify(RawMessage.parse(sign(small.getPrivate(), RSA_TAGS).getBytes(StandardCharsets.UTF_8))))
                .extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS);
    }

    @Test
    void bodyLengthLimitsTheHashAndMayNotExceedTheBody() {
        String signed = sign(ED.getPrivate(), ED_TAGS + "; l=20");
        assertVerdict(verifyOne(dns(), signed), DkimVerdict.PASS, "");
        assertVerdict(verifyOne(dns(), signed + "Appended by a list.\r\n"), DkimVerdict.PASS, "");
        // RFC 6376 §3.5 l=: a count beyond the body cannot have been signed over this body.
        String tooLong = sign(ED.getPrivate(), ED_TAGS + "; l=20");
        String truncated = tooLong.substring(0, tooLong.indexOf("\r\n\r\nHi.") + 4) + "Hi.\r\n";
        assertVerdict(verifyOne(dns(), truncated), DkimVerdict.PERMERROR, "l= exceeds body length");
    }

    @Test
    void everySignatureGetsItsOwnResultInMessageOrder() {
        String first = sign(ED.getPrivate(), ED_TAGS);
        String both = Crafted.signed(first, RSA.getPrivate(), RSA_TAGS);
        String broken = "DKIM-Signature: v=1; a=rsa-sha256; d=broken.example\r\n" + both;
        List<DkimResult> results = verify(dns(), broken);
        assertThat(results).extracting(DkimResult::verdict)
                .containsExactly(DkimVerdict.PERMERROR, DkimVerdict.PASS, DkimVerdict.PASS);
        assertThat(results.get(0).domain()).isEqualTo("broken.example");
        assertThat(results.get(0).reason()).contains("missing required tag");
        assertThat(results).extracting(DkimResult::selector).containsExactly("", "rsa", "ed");
    }

    @Test
    void signaturesBeyondTheCapAreNotEvaluated() {
        String m = Messages.SIMPLE;
        for (int i = 0; i < 4; i++) {
            m = Crafted.signed(m, ED.getPrivate(), ED_TAGS);
        }
        TestDns dns = dns();
        DkimVerifier capped = new DkimVerifier(dns.resolver(), NOW, new DkimVerifier.Settings(1024, 3, Duration.ZERO));
        List<DkimResult> results = capped.verify(RawMessage.parse(m.getBytes(StandardCharsets.UTF_8)));
        assertThat(results).extracting(DkimResult::verdict)
                .containsExactly(DkimVerdict.PASS, DkimVerdict.PASS, DkimVerdict.PASS, DkimVerdict.POLICY);
        assertThat(results.get(3).reason()).contains("more than 3 signatures");
    }

    @Test
    void headerBIsLongEnoughToTellSignaturesApart() {
        String sig = sign(ED.getPrivate(), ED_TAGS);
        String b = TagList.withoutWhitespace(TagList.parse(RawMessage.parse(sig.getBytes(StandardCharsets.UTF_8))
                .headers("DKIM-Signature").get(0).unfoldedValue()).require("b"));
        // A second (bogus) signature whose b= shares the first 10 characters (RFC 6008 §4).
        String differ = b.charAt(10) == 'X' ? "Y" : "X";
        String twin = "DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=ed; h=from; bh=AAAA; b="
                + b.substring(0, 10) + differ.repeat(8) + "\r\n" + sig;
        List<DkimResult> results = verify(dns(), twin);
        assertThat(results.get(0).headerB()).isEqualTo(b.substring(0, 10) + differ);
        assertThat(results.get(1).headerB()).isEqualTo(b.substring(0, 11));
    }
}
