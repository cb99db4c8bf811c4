package io.postbus.auth.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.arc.ArcSealer;
import io.postbus.auth.arc.ArcSettings;
import io.postbus.auth.arc.ArcSigningKey;
import io.postbus.auth.arc.ArcValidator;
import io.postbus.auth.arc.ChainValidationStatus;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.dmarc.DmarcAction;
import io.postbus.auth.dmarc.DmarcEvaluator;
import io.postbus.auth.dmarc.DmarcLocalPolicy;
import io.postbus.auth.dmarc.DmarcResult;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.auth.psl.PublicSuffixList;
import io.postbus.auth.spf.SpfResult;
import io.postbus.auth.spf.SpfSettings;
import io.postbus.auth.spf.SpfVerifier;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving side end to end on zone data: signed mail from a domain with SPF and DMARC, forged
 * mail, an Authentication-Results header forged in our name, and ARC sealing of what we pass on.
 */
class InboundVerifierTest {
    static final String US = "mx.postbus.test";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    static final InetAddress GOOD_IP = ip("192.0.2.10");
    static final InetAddress BAD_IP = ip("198.51.100.66");

    @TempDir
    static Path keys;
    static DkimSigningKey senderKey;
    static ArcSigningKey arcKey;
    static DnsResolver dns;
    static PublicSuffixList psl;

    @BeforeAll
    static void zone() throws Exception {
        DkimKeyGenerator gen = new DkimKeyGenerator();
        var sender = gen.generate(KeyType.RSA, 2048, "example.com", "s2026", keys.resolve("sender.pem"));
        var forwarder = gen.generate(KeyType.ED25519, 0, "postbus.test", "arc1", keys.resolve("arc.pem"));
        senderKey = DkimSigningKey.of("example.com", "s2026", PrivateKeyFiles.read(sender.privateKeyFile()));
        arcKey = new ArcSigningKey("postbus.test", "arc1", SigningAlgorithm.ED25519_SHA256,
                PrivateKeyFiles.read(forwarder.privateKeyFile()));
        dns = ZoneFileResolver.fromString(".", "$ORIGIN example.com.\n"
                + "@ 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"\n"
                + "@ 300 IN A 192.0.2.10\n"
                + "_dmarc 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n"
                + sender.zoneText()
                + "$ORIGIN postbus.test.\n"
                + forwarder.zoneText());
        psl = PublicSuffixList.load(Path.of(System.getProperty("postbus.shared.dir", "../../shared"))
                .resolve("conformance/publicsuffix/public_suffix_list.dat"));
    }

    private InboundVerifier verifier(DmarcLocalPolicy policy, boolean seal) {
        KeyLookup keyLookup = new KeyLookup(dns);
        return new InboundVerifier(US, new DkimVerifier(keyLookup, CLOCK, DkimVerifier.Settings.defaults()),
                new SpfVerifier(dns, CLOCK, SpfSettings.defaults(US)),
                new ArcValidator(keyLookup, CLOCK, ArcSettings.defaults()),
                new DmarcEvaluator(dns, psl, new SplittableRandom(1)), policy,
                seal ? Optional.of(new ArcSealer(arcKey, CLOCK)) : Optional.empty());
    }

    @Test
    void signedMailFromAPermittedHostPassesEverythingInOneHeader() throws Exception {
        byte[] signed = signedBy(senderKey, message("alice@example.com"));
        InboundReport r = verifier(DmarcLocalPolicy.cautious(), false)
                .verify(new SmtpTransaction(GOOD_IP, "mail.example.com", "alice@example.com"), signed);
        assertThat(r.dkim()).singleElement().satisfies(d -> assertThat(d.verdict()).isEqualTo(DkimVerdict.PASS));
        assertThat(r.spf().verdict().result()).isEqualTo(SpfResult.PASS);
        assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(r.action()).isEqualTo(DmarcAction.ACCEPT);
        RawMessage out = RawMessage.parse(r.message());
        assertThat(out.headers("Authentication-Results")).singleElement().satisfies(h -> assertThat(h.unfoldedValue())
                .startsWith(" " + US + ";")
                .contains("dkim=pass", "header.d=example.com", "header.s=s2026", "header.a=rsa-sha256")
                .contains("spf=pass", "smtp.mailfrom=example.com")
                .contains("dmarc=pass (p=reject dis=none) header.from=example.com")
                .contains("arc=none"));
        assertThat(out.headers().get(0).lowerName()).as("our header goes on top").isEqualTo("authentication-results");
        assertThat(new String(r.message(), StandardCharsets.UTF_8)).endsWith(new String(signed, StandardCharsets.UTF_8));
    }

    @Test
    void forgedMailFailsDmarcAndLocalPolicyDecidesNeverABounce() throws Exception {
        byte[] forged = message("ceo@example.com");
        var tx = new SmtpTransaction(BAD_IP, "evil.example.net", "ceo@example.com");
        InboundReport cautious = verifier(DmarcLocalPolicy.cautious(), false).verify(tx, forged);
        assertThat(cautious.spf().verdict().result()).isEqualTo(SpfResult.FAIL);
        assertThat(cautious.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(cautious.action()).isEqualTo(DmarcAction.QUARANTINE);
        assertThat(RawMessage.parse(cautious.message()).headers("Authentication-Results").get(0).unfoldedValue())
                .contains("dkim=none", "spf=fail", "dmarc=fail (p=reject dis=reject) header.from=example.com");

        DmarcLocalPolicy discard = new DmarcLocalPolicy(DmarcLocalPolicy.QuarantineHandling.SPAM_FLAG,
                DmarcLocalPolicy.RejectHandling.DISCARD, DmarcAction.SPAM_FLAG, DmarcAction.ACCEPT);
        assertThat(verifier(discard, false).verify(tx, forged).action()).isEqualTo(DmarcAction.DISCARD);
    }

    @Test
    void resultsForgedInOurNameAreRemovedOthersKept() throws Exception {
        String forgedClaims = "Authentication-Results: " + US + "; dkim=pass header.d=example.com; dmarc=pass\r\n"
                + "Authentication-Results: other.example.org; spf=pass smtp.mailfrom=x\r\n";
        byte[] msg = (forgedClaims + new String(message("ceo@example.com"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        InboundReport r = verifier(DmarcLocalPolicy.cautious(), false)
                .verify(new SmtpTransaction(BAD_IP, "evil.example.net", "ceo@example.com"), msg);
        List<HeaderField> ars = RawMessage.parse(r.message()).headers("Authentication-Results");
        assertThat(ars).hasSize(2);
        assertThat(ars.get(0).unfoldedValue()).contains(US + ";", "dmarc=fail");
        assertThat(ars.get(1).unfoldedValue()).contains("other.example.org");
    }

    @Test
    void sealedOnTheWayOutAndTheNextHopValidatesOurSet() throws Exception {
        byte[] signed = signedBy(senderKey, message("alice@example.com"));
        InboundReport r = verifier(DmarcLocalPolicy.cautious(), true)
                .verify(new SmtpTransaction(GOOD_IP, "mail.example.com", "alice@example.com"), signed);
        assertThat(r.sealed()).isTrue();
        RawMessage out = RawMessage.parse(r.message());
        assertThat(out.headers("ARC-Authentication-Results")).singleElement()
                .satisfies(h -> assertThat(h.unfoldedValue()).contains("i=1;", US + ";", "dmarc=pass"));
        var next = new ArcValidator(new KeyLookup(dns), CLOCK, ArcSettings.defaults()).validate(out);
        assertThat(next.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(next.instances()).isEqualTo(1);
    }

    @Test
    void dnsFailureIsTemperrorNeverFail() throws Exception {
        DnsResolver broken = ((ZoneFileResolver) dns).withFailure("example.com", Kind.TIMEOUT)
                .withFailure("s2026._domainkey.example.com", Kind.TIMEOUT)
                .withFailure("_dmarc.example.com", Kind.TIMEOUT);
        KeyLookup keyLookup = new KeyLookup(broken);
        InboundVerifier v = new InboundVerifier(US, new DkimVerifier(keyLookup, CLOCK, DkimVerifier.Settings.defaults()),
                new SpfVerifier(broken, CLOCK, SpfSettings.defaults(US)), new ArcValidator(keyLookup, CLOCK, ArcSettings.defaults()),
                new DmarcEvaluator(broken, psl, new SplittableRandom(1)), DmarcLocalPolicy.cautious(), Optional.empty());
        InboundReport r = v.verify(new SmtpTransaction(GOOD_IP, "mail.example.com", "alice@example.com"),
                signedBy(senderKey, message("alice@example.com")));
        assertThat(r.spf().verdict().result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(r.dkim().get(0).verdict()).isEqualTo(DkimVerdict.TEMPERROR);
        assertThat(r.dmarc().result()).isIn(DmarcResult.TEMPERROR, DmarcResult.NONE);
        assertThat(r.dmarc().result()).isNotEqualTo(DmarcResult.FAIL);
        assertThat(r.action()).isEqualTo(DmarcAction.ACCEPT);
    }

    static byte[] message(String from) {
        return ("From: Alice <" + from + ">\r\nTo: bob@postbus.test\r\nSubject: quarterly figures\r\n"
                + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello Bob.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] signedBy(DkimSigningKey key, byte[] message) throws Exception {
        RawMessage m = RawMessage.parse(message);
        return DkimSigner.prepend(new DkimSigner(List.of(key), DkimSigner.Settings.defaults(), CLOCK).sign(m), message);
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
