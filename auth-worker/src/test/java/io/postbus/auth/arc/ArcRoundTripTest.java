package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seal and validate end to end (RFC 8617 §5.1 then §5.2) with the RFC 8463 Appendix A keys, RSA and
 * Ed25519, published in their zone file.
 */
class ArcRoundTripTest {
    private ArcHops hops;
    private byte[] original;

    @BeforeEach
    void setUp() throws Exception {
        hops = new ArcHops(Rfc8463Keys.dns());
        original = Rfc8463Keys.signedMessage();
    }

    @Test
    void oneRsaHopPassesWithOneInstance() throws Exception {
        assertThat(hops.validate(original).status()).isEqualTo(ChainValidationStatus.NONE);
        byte[] sealed = hops.hop(original, "mx.one.example", Rfc8463Keys.rsa());
        ArcValidation result = hops.validate(sealed);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.instances()).isEqualTo(1);
        assertThat(result.oldestPass()).isEqualTo(OptionalInt.of(0));
        assertThat(result.instanceResults()).singleElement().satisfies(r -> {
            assertThat(r.messageSignature().passed()).isTrue();
            assertThat(r.seal().passed()).isTrue();
            assertThat(r.seal().selector()).isEqualTo("test");
            assertThat(r.resultsPayload()).startsWith("mx.one.example; arc=none;");
        });
        assertThat(RawMessage.parse(sealed).headers("ARC-Seal").get(0).unfoldedValue()).contains("cv=none", "i=1");
    }

    @Test
    void oneEd25519HopPassesWithOneInstance() throws Exception {
        byte[] sealed = hops.hop(original, "mx.one.example", Rfc8463Keys.ed25519());
        ArcValidation result = hops.validate(sealed);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.instances()).isEqualTo(1);
        assertThat(RawMessage.parse(sealed).headers("ARC-Message-Signature").get(0).unfoldedValue()).contains("a=ed25519-sha256");
    }

    @Test
    void secondHopOverTheFirstPassesWithTwoInstancesAndCvPass() throws Exception {
        byte[] first = hops.hop(original, "mx.one.example", Rfc8463Keys.rsa());
        byte[] second = hops.hop(first, "mx.two.example", Rfc8463Keys.ed25519());
        ArcValidation result = hops.validate(second);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.instances()).isEqualTo(2);
        assertThat(result.oldestPass()).isEqualTo(OptionalInt.of(0));
        assertThat(RawMessage.parse(second).headers("ARC-Seal").get(0).unfoldedValue()).contains("cv=pass", "i=2");
    }

    @Test
    void changingTheBodyAfterSealingFailsTheNewestMessageSignature() throws Exception {
        byte[] sealed = hops.hop(hops.hop(original, "mx.one.example", Rfc8463Keys.rsa()), "mx.two.example", Rfc8463Keys.ed25519());
        byte[] tampered = ArcHops.replace(sealed, "We lost the game.", "We won the game.");
        ArcValidation result = hops.validate(tampered);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.FAIL);
        assertThat(result.failure()).get().satisfies(f -> {
            assertThat(f.step()).isEqualTo(ValidationStep.LATEST_MESSAGE_SIGNATURE);
            assertThat(f.instance()).isEqualTo(2);
            assertThat(f.reason()).isEqualTo("body hash mismatch");
            assertThat(f.temporary()).isFalse();
        });
    }

    @Test
    void aListThatEditsTheSubjectBetweenHopsKeepsTheChainButMovesOldestPass() throws Exception {
        // §5.2 step 5: hop 2 validates (pass), then changes the message, then seals; AMS 1 no longer verifies.
        byte[] first = hops.hop(original, "mx.one.example", Rfc8463Keys.rsa());
        ArcValidation atHop2 = hops.validate(first);
        byte[] edited = ArcHops.replace(first, "Subject: Is dinner ready?", "Subject: [list] Is dinner ready?");
        String results = "mx.two.example; arc=pass";
        SealOutcome outcome = new ArcSealer(Rfc8463Keys.ed25519(), ArcHops.CLOCK)
                .seal(RawMessage.parse(edited), "mx.two.example", results, atHop2, ArcHops.SIGNED);
        byte[] second = ((SealOutcome.Sealed) outcome).headers().prependTo(edited);
        ArcValidation result = hops.validate(second);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.oldestPass()).isEqualTo(OptionalInt.of(2));
        assertThat(result.instanceResults().get(0).messageSignature().status()).isEqualTo(SignatureCheck.Status.FAIL);
    }

    @Test
    void aFailedChainIsSealedWithCvFailOverOnlyTheNewSetAndThenEnds() throws Exception {
        byte[] first = hops.hop(original, "mx.one.example", Rfc8463Keys.rsa());
        byte[] broken = ArcHops.replace(first, "We lost the game.", "We won the game.");
        ArcValidation incoming = hops.validate(broken);
        assertThat(incoming.status()).isEqualTo(ChainValidationStatus.FAIL);
        SealOutcome outcome = new ArcSealer(Rfc8463Keys.rsa(), ArcHops.CLOCK)
                .seal(RawMessage.parse(broken), "mx.two.example", "mx.two.example; arc=fail", incoming, ArcHops.SIGNED);
        ArcSetHeaders set = ((SealOutcome.Sealed) outcome).headers();
        assertThat(set.seal().unfoldedValue()).contains("cv=fail", "i=2");
        byte[] sealed = set.prependTo(broken);

        ArcValidation after = hops.validate(sealed);
        assertThat(after.status()).isEqualTo(ChainValidationStatus.FAIL);
        assertThat(after.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_CHAIN_STATUS);
        // The cv=fail seal itself verifies over the new set alone (§5.1.2): check it with set 1 dropped.
        byte[] onlyNewSet = set.prependTo(Rfc8463Keys.signedMessage());
        assertThat(new ArcSignatureVerifier(new KeyLookup(Rfc8463Keys.dns()), ArcHops.CLOCK,
                ArcSettings.defaults()).seal(List.of(renumbered(onlyNewSet)), 0).passed()).isTrue();

        SealOutcome third = new ArcSealer(Rfc8463Keys.ed25519(), ArcHops.CLOCK)
                .seal(RawMessage.parse(sealed), "mx.three.example", "mx.three.example; arc=fail", after, ArcHops.SIGNED);
        assertThat(third).isEqualTo(new SealOutcome.NotSealed(SealOutcome.Reason.CHAIN_ALREADY_FAILED,
                "ARC-Seal i=2 says cv=fail (RFC 8617 §5.1 step 1)"));
    }

    /** The single set of a message, whatever its instance, for checking one seal in isolation. */
    private static ArcSet renumbered(byte[] message) {
        RawMessage m = RawMessage.parse(message);
        HeaderField aar = m.headers("ARC-Authentication-Results").get(0);
        HeaderField ams = m.headers("ARC-Message-Signature").get(0);
        HeaderField seal = m.headers("ARC-Seal").get(0);
        return new ArcSet(2, aar, ams, seal, "", TagList.parse(ams.unfoldedValue()),
                TagList.parse(seal.unfoldedValue()));
    }
}
