package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dkimpy's test data (conformance README §5, {@code dkimpy/cases.json}): the 3 fixed verification cases,
 * and the 12 sign-then-verify scenarios with Postbus as the signer.
 */
class DkimpyConformanceTest {
    static final Path DIR = Conformance.path("dkimpy");
    static final Clock NOW = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    /**
     * Scenarios that cannot run as written, with the reason. Both are about what RFC 8301 or our own design
     * forbid; each still gets the closest check that is allowed (see the test methods).
     */
    static final Map<String, String> DIFFERENCES = Map.of(
            "refold-b-tag", "needs a 512-bit RSA key (RFC 8301 §3.2 forbids under 1024) whose private half is inline"
                    + " in dkimpy's test code, not in the corpus; the refolding itself is checked with the 1024-bit test key",
            "rsa-roundtrip/l=", "Postbus never signs with l= (RFC 6376 §8.2: appended content rides on the signature);"
                    + " the verifier side of l= is checked with a hand-made l= signature over the same key and message");

    static JsonNode cases;
    static PrivateKey testKey;

    @BeforeAll
    static void load() throws Exception {
        cases = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        testKey = PrivateKeyFiles.read(DIR.resolve("data/test.private"));
    }

    @Test
    void theFixedVerificationCasesPass() {
        int passed = 0;
        for (JsonNode c : cases.get("verify_cases")) {
            RawMessage message = RawMessage.parse(Conformance.crlf(DIR.resolve(c.get("message").asText())));
            List<DkimResult> results = verifier(dns(c.get("dns"))).verify(message);
            assertThat(results).as(c.get("id").asText()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.verdict()).as(c.get("id") + " " + r).isEqualTo(DkimVerdict.PASS));
            passed++;
        }
        System.out.printf("dkimpy verify_cases: %d/%d pass%n", passed, cases.get("verify_cases").size());
        assertThat(passed).isEqualTo(3);
    }

    @Test
    void theSignThenVerifyScenariosBehaveAsDkimpyExpects() throws Exception {
        List<String> ran = new ArrayList<>();
        for (JsonNode c : cases.get("sign_then_verify_cases")) {
            String id = c.get("id").asText();
            if (DIFFERENCES.containsKey(id)) {
                continue;
            }
            runScenario(id, c);
            ran.add(id);
        }
        System.out.printf("dkimpy sign_then_verify_cases: %d/%d as expected; differences: %s%n",
                ran.size(), cases.get("sign_then_verify_cases").size(), DIFFERENCES);
        assertThat(ran).hasSize(11);
    }

    private void runScenario(String id, JsonNode c) throws Exception {
        byte[] message = Conformance.crlf(DIR.resolve(c.get("message").asText()));
        switch (id) {
            case "rsa-roundtrip" -> {
                for (Canonicalization h : Canonicalization.values()) {
                    for (Canonicalization b : Canonicalization.values()) {
                        assertThat(signAndVerify(c, message, h, b)).as(id + " " + h + "/" + b).isEqualTo(DkimVerdict.PASS);
                        byte[] lf = new String(message, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
                        assertThat(signAndVerify(c, lf, h, b)).as(id + " LF " + h + "/" + b).isEqualTo(DkimVerdict.PASS);
                    }
                }
                String withL = Crafted.signed(new String(message, StandardCharsets.UTF_8), testKey,
                        "v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=test; l=10; h=from:to:subject");
                TestDns dns = dns(c.get("dns"));
                assertThat(verify(dns, withL)).as("l=").isEqualTo(DkimVerdict.PASS);
                assertThat(verify(dns, withL + "appended\r\n")).as("l= then appended").isEqualTo(DkimVerdict.PASS);
            }
            case "implicit-k" -> assertThat(signAndVerify(c, message, Canonicalization.RELAXED, Canonicalization.SIMPLE))
                    .as(id).isEqualTo(DkimVerdict.PASS);
            case "bad-key-version", "unknown-k" -> assertThat(signAndVerify(c, message, Canonicalization.RELAXED,
                    Canonicalization.SIMPLE)).as(id).isEqualTo(DkimVerdict.PERMERROR);
            case "wrong-key" -> assertThat(signAndVerify(c, message, Canonicalization.RELAXED, Canonicalization.SIMPLE))
                    .as(id).isIn(DkimVerdict.FAIL, DkimVerdict.PERMERROR);
            case "altered-body" -> {
                String signed = signed(message, testKey, "example.com", "test", DkimSigner.Settings.defaults());
                assertThat(verify(testDns(), signed + "foo")).as(id).isEqualTo(DkimVerdict.FAIL);
            }
            case "multiple-from" -> {
                String signed = signed(message, testKey, "example.com", "test", DkimSigner.Settings.defaults());
                assertThat(verify(testDns(), "X-Foo: bar\r\n" + signed)).as(id + " X-Foo").isEqualTo(DkimVerdict.PASS);
                assertThat(verify(testDns(), "From: evil@example.org\r\n" + signed)).as(id + " above").isEqualTo(DkimVerdict.FAIL);
                String below = signed.replaceFirst("\r\n\r\n", "\r\nFrom: evil@example.org\r\n\r\n");
                assertThat(verify(testDns(), below)).as(id + " below").isEqualTo(DkimVerdict.FAIL);
            }
            case "no-from" -> assertThatThrownBy(() -> signed(message, testKey, "example.com", "test",
                    DkimSigner.Settings.defaults())).isInstanceOf(DkimSigner.UnsignableMessageException.class);
            case "extra-received-headers" -> {
                List<String> names = new ArrayList<>(DkimSigner.DEFAULT_SIGNED_HEADERS);
                names.add("received");
                DkimSigner.Settings all = new DkimSigner.Settings(Canonicalization.RELAXED, Canonicalization.SIMPLE,
                        names, DkimSigner.DEFAULT_OVERSIGNED_HEADERS, Optional.empty());
                String signed = signed(message, testKey, "example.com", "test", all);
                HeaderField sig = RawMessage.parse(signed.getBytes(StandardCharsets.UTF_8)).headers("DKIM-Signature").get(0);
                assertThat(TagList.withoutWhitespace(TagList.parse(sig.unfoldedValue()).require("h")))
                        .contains("received:received:received");
                assertThat(verify(testDns(), signed)).as(id).isEqualTo(DkimVerdict.PASS);
            }
            case "ed25519-roundtrip", "rfc8032-key-roundtrip" -> {
                PrivateKey key = PrivateKeyFiles.read(DIR.resolve(c.get("private_key").asText().split(" ")[0]));
                TestDns dns = dns(c.get("dns"));
                for (Canonicalization h : Canonicalization.values()) {
                    for (Canonicalization b : Canonicalization.values()) {
                        String signed = signed(message, key, c.get("domain").asText(), c.get("selector").asText(),
                                DkimSigner.Settings.defaults().withCanonicalization(h, b));
                        assertThat(verify(dns, signed)).as(id + " " + h + "/" + b).isEqualTo(DkimVerdict.PASS);
                    }
                }
            }
            default -> throw new AssertionError("scenario not handled: " + id);
        }
    }

    @Test
    void refoldingBUnderSimpleHeaderCanonicalizationStillPasses() throws Exception {
        // The refold-b-tag scenario with the 1024-bit test key (see DIFFERENCES): b= is hashed as empty,
        // so re-folding its value must not matter even with c=simple.
        byte[] message = Conformance.crlf("From: mbp@canonical.com\nTo: scottk@example.com\nSubject: this is my\n    test message\n");
        String signed = signed(message, testKey, "example.com", "test",
                DkimSigner.Settings.defaults().withCanonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE));
        int b = signed.indexOf("b=", signed.indexOf("bh=") + 3);
        String value = signed.substring(b + 2, signed.indexOf("\r\nFrom:"));
        String flat = value.replace("\r\n\t", "");
        String refolded = signed.substring(0, b + 2) + flat.substring(0, 20) + "\r\n   " + flat.substring(20, 50) + " "
                + flat.substring(50) + signed.substring(signed.indexOf("\r\nFrom:"));
        assertThat(refolded).isNotEqualTo(signed);
        assertThat(verify(testDns(), refolded)).isEqualTo(DkimVerdict.PASS);
    }

    private DkimVerdict signAndVerify(JsonNode c, byte[] message, Canonicalization h, Canonicalization b) throws Exception {
        String signed = signed(message, testKey, "example.com", "test", DkimSigner.Settings.defaults().withCanonicalization(h, b));
        return verify(c.has("dns") ? dns(c.get("dns")) : testDns(), signed);
    }

    static String signed(byte[] message, PrivateKey key, String domain, String selector, DkimSigner.Settings settings)
            throws DkimSigner.UnsignableMessageException {
        DkimSigner signer = new DkimSigner(List.of(DkimSigningKey.of(domain, selector, key)), settings, NOW);
        return new String(DkimSigner.prepend(signer.sign(RawMessage.parse(message)), message), StandardCharsets.UTF_8);
    }

    /** The verdict for the topmost signature: ours (message.mbox carries an older one below it). */
    static DkimVerdict verify(TestDns dns, String message) {
        return verifier(dns).verify(RawMessage.parse(message.getBytes(StandardCharsets.UTF_8))).get(0).verdict();
    }

    static DkimVerifier verifier(TestDns dns) {
        return new DkimVerifier(dns.resolver(), NOW, DkimVerifier.Settings.defaults());
    }

    static TestDns testDns() {
        return new TestDns().txt("test._domainkey.example.com", Conformance.read(DIR.resolve("data/test.txt")).strip());
    }

    /** The "dns" object of a case; "@data/x" values are file references. */
    static TestDns dns(JsonNode records) {
        TestDns dns = new TestDns();
        for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().asText();
            dns.txt(e.getKey(), value.startsWith("@") ? read(value.substring(1)) : value);
        }
        return dns;
    }

    private static String read(String relative) {
        return Conformance.read(DIR.resolve(relative)).strip();
    }
}
