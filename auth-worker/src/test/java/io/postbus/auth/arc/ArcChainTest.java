package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Grouping ARC fields into sets and the structural rules of RFC 8617 §5.2 steps 1 and 3. */
class ArcChainTest {
    private static final String BODY = "From: a@example.org\r\n\r\nhello\r\n";

    private static String set(int i, String cv) {
        return "ARC-Seal: i=" + i + "; a=rsa-sha256; cv=" + cv + "; d=example.org; s=s; b=AAAA\r\n"
                + "ARC-Message-Signature: i=" + i + "; a=rsa-sha256; d=example.org; s=s; h=from; bh=AAAA; b=AAAA\r\n"
                + "ARC-Authentication-Results: i=" + i + "; mx" + i + ".example; spf=pass\r\n";
    }

    private static ArcChain parse(String headers) {
        return ArcChain.parse(RawMessage.parse((headers + BODY).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noArcFieldsMeansNoChain() {
        ArcChain chain = parse("Subject: hi\r\n");
        assertThat(chain.present()).isFalse();
        assertThat(chain.highestInstance()).isZero();
        assertThat(chain.defect()).isEmpty();
    }

    @Test
    void completeSetsAreGroupedInInstanceOrderWhateverTheirPlace() {
        ArcChain chain = parse(set(2, "pass") + "Received: x\r\n" + set(1, "none"));
        assertThat(chain.defect()).isEmpty();
        assertThat(chain.highestInstance()).isEqualTo(2);
        assertThat(chain.sets()).extracting(ArcSet::instance).containsExactly(1, 2);
        assertThat(chain.sets().get(0).resultsPayload()).isEqualTo("mx1.example; spf=pass");
        assertThat(chain.latestSealCv()).contains(ChainValidationStatus.PASS);
    }

    @Test
    void eachInstanceNeedsExactlyOneOfEachField() {
        String missingAms = set(1, "none").replaceFirst("ARC-Message-Signature: [^\r]*\r\n", "");
        assertThat(parse(missingAms).defect()).get().asString().contains("no ARC-Message-Signature for i=1");
        String duplicateAar = set(1, "none") + "ARC-Authentication-Results: i=1; other.example; dkim=pass\r\n";
        assertThat(parse(duplicateAar).defect()).get().asString().contains("2 ARC-Authentication-Results fields for i=1");
        assertThat(parse(duplicateAar).sets()).isEmpty();
    }

    @Test
    void instancesMustRunFromOneWithoutGaps() {
        ArcChain chain = parse(set(3, "pass") + set(1, "none"));
        assertThat(chain.defect()).get().asString()
                .contains("no ARC-Seal for i=2", "no ARC-Message-Signature for i=2", "no ARC-Authentication-Results for i=2");
    }

    @Test
    void unreadableInstancesMakeTheChainDefectiveNotAbsent() {
        assertThat(parse(set(1, "none").replace("ARC-Seal: i=1", "ARC-Seal: i=0")).defect()).get().asString()
                .contains("ARC-Seal has an invalid instance i=0");
        assertThat(parse(set(1, "none").replace("ARC-Seal: i=1;", "ARC-Seal:")).defect()).get().asString().contains("ARC-Seal has no i= tag");
        ArcChain garbled = parse("ARC-Authentication-Results: mx.example; i=1; spf=pass\r\n");
        assertThat(garbled.present()).isTrue();
        assertThat(garbled.defect()).get().asString().contains("ARC-Authentication-Results does not start with i=<instance>;");
        assertThat(parse("ARC-Seal: i=1;; cv=none\r\n").defect()).get().asString().startsWith("ARC-Seal is not a valid tag list");
    }

    @Test
    void moreThanFiftySetsIsReported() {
        ArcChain chain = parse(set(51, "pass"));
        assertThat(chain.highestInstance()).isEqualTo(51);
        assertThat(chain.defect()).get().asString().startsWith("instance 51 is above the limit of 50 ARC Sets");
        assertThat(ArcChain.instance("123")).isEqualTo(-1);
        assertThat(ArcChain.instance("50")).isEqualTo(50);
    }

    @Test
    void theNewestSealsCvIsReadEvenWhenTheChainIsBroken() {
        ArcChain chain = parse(set(2, "fail"));
        assertThat(chain.defect()).isPresent();
        assertThat(chain.latestSealCv()).isEqualTo(Optional.of(ChainValidationStatus.FAIL));
        assertThat(parse(set(1, "Fail")).latestSealCv()).contains(ChainValidationStatus.FAIL);
        assertThat(parse(set(1, "maybe")).latestSealCv()).isEmpty();
    }
}
