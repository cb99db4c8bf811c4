package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7489 §6.3 (tags), §6.4 (syntax), §6.2 (report URIs), §6.6.3 step 6 (missing p). */
class DmarcRecordParserTest {

    static DmarcRecord valid(String text) {
        DmarcRecordParser.Result r = DmarcRecordParser.parse(text);
        assertThat(r).as(text).isInstanceOf(DmarcRecordParser.Valid.class);
        return ((DmarcRecordParser.Valid) r).record();
    }

    static String invalid(String text) {
        DmarcRecordParser.Result r = DmarcRecordParser.parse(text);
        assertThat(r).as(text).isInstanceOf(DmarcRecordParser.Invalid.class);
        return ((DmarcRecordParser.Invalid) r).reason();
    }

    @Test
    void section6_3_defaults() {
        DmarcRecord r = valid("v=DMARC1; p=none");
        assertThat(r.p()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.sp()).isEmpty();
        assertThat(r.np()).isEmpty();
        assertThat(r.adkim()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.aspf()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.testing()).isFalse();
        assertThat(r.psd()).isEqualTo(PsdFlag.U);
        assertThat(r.reporting().fo()).containsExactly(FailureReportOption.ALL_FAIL);
        assertThat(r.reporting().rf()).containsExactly("afrf");
        assertThat(r.reporting().ri()).isEqualTo(86_400);
        assertThat(r.rua()).isEmpty();
        assertThat(r.policyAssumed()).isFalse();
    }

    @Test
    void section6_3_everyTag() {
        DmarcRecord r = valid("v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=s; pct=25; "
                + "fo=1:d:s; rf=afrf; ri=3600; t=y; psd=n; rua=mailto:a@example.com; ruf=mailto:f@example.com!10k");
        assertThat(r.p()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.nonExistentSubdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.adkim()).isEqualTo(AlignmentMode.STRICT);
        assertThat(r.aspf()).isEqualTo(AlignmentMode.STRICT);
        assertThat(r.pct()).isEqualTo(25);
        assertThat(r.reporting().fo()).containsExactlyInAnyOrder(FailureReportOption.ANY_FAIL,
                FailureReportOption.DKIM_FAIL, FailureReportOption.SPF_FAIL);
        assertThat(r.reporting().ri()).isEqualTo(3600);
        assertThat(r.testing()).isTrue();
        assertThat(r.psd()).isEqualTo(PsdFlag.N);
        assertThat(r.rua()).extracting(u -> u.uri().toString()).containsExactly("mailto:a@example.com");
        assertThat(r.ruf().get(0).maxBytes()).isEqualTo(OptionalLong.of(10 * 1024));
    }

    @Test
    void section6_3_spDefaultsToPAndNpToSp() {
        DmarcRecord r = valid("v=DMARC1; p=quarantine");
        assertThat(r.subdomainPolicy()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.nonExistentSubdomainPolicy()).isEqualTo(DmarcPolicy.QUARANTINE);
        DmarcRecord s = valid("v=DMARC1; p=reject; sp=none");
        assertThat(s.nonExistentSubdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(s.policyFor(PolicyTag.P)).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void section6_4_whitespaceCaseAndEmptyElements() {
        DmarcRecord r = valid("v = DMARC1 ;P = Reject;\tSP=None ; ADKIM = S;;  ;");
        assertThat(r.p()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.sp()).contains(DmarcPolicy.NONE);
        assertThat(r.adkim()).isEqualTo(AlignmentMode.STRICT);
    }

    @Test
    void section6_3_unknownTagsAreIgnored() {
        DmarcRecord r = valid("v=DMARC1; p=none; future=whatever; x_y=1");
        assertThat(r.p()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void section6_4_pMayComeAnywhereAfterV() {
        assertThat(valid("v=DMARC1; adkim=s; p=reject").p()).isEqualTo(DmarcPolicy.REJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v=spf1 -all", "p=reject; v=DMARC1", "v=DMARC2; p=none", "v=dmarc1; p=none",
        "v:DMARC1; p=none", "google-site-verification=abc", "v=DMARC1x; p=none"})
    void section6_6_3_step2_notDmarcRecordsAreDiscarded(String text) {
        assertThat(DmarcRecordParser.parse(text)).isInstanceOf(DmarcRecordParser.NotDmarc.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=DMARC1; p=reject; adkim=strict",
        "v=DMARC1; p=reject; aspf=x",
        "v=DMARC1; p=reject; pct=101",
        "v=DMARC1; p=reject; pct=-1",
        "v=DMARC1; p=reject; pct=ten",
        "v=DMARC1; p=reject; fo=2",
        "v=DMARC1; p=reject; fo=",
        "v=DMARC1; p=reject; rf=a:b c",
        "v=DMARC1; p=reject; ri=4294967296",
        "v=DMARC1; p=reject; t=maybe",
        "v=DMARC1; p=reject; psd=x",
        "v=DMARC1; p=reject; p=none",
        "v=DMARC1; p=reject; novalue",
        "v=DMARC1; p=reject; 9tag=x",
        "v=DMARC1; p=reject; rua=mailto:a@b.example\u0000"})
    void section6_4_syntaxErrorsMakeTheRecordInvalid(String text) {
        assertThat(invalid(text)).isNotBlank();
    }

    @Test
    void section6_6_3_step6_missingPWithValidRuaReadsAsNone() {
        DmarcRecord r = valid("v=DMARC1; rua=mailto:d@example.org; adkim=s");
        assertThat(r.p()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.policyAssumed()).isTrue();
        assertThat(r.adkim()).isEqualTo(AlignmentMode.STRICT);
        assertThat(r.rua()).hasSize(1);
    }

    @Test
    void section6_6_3_step6_invalidPOrSpWithValidRuaReadsAsNone() {
        DmarcRecord badP = valid("v=DMARC1; p=rejct; rua=mailto:d@example.org");
        assertThat(badP.p()).isEqualTo(DmarcPolicy.NONE);
        assertThat(badP.policyAssumed()).isTrue();
        DmarcRecord badSp = valid("v=DMARC1; p=reject; sp=quarantin; rua=mailto:d@example.org");
        assertThat(badSp.p()).isEqualTo(DmarcPolicy.NONE);
        assertThat(badSp.subdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
        DmarcRecord badNp = valid("v=DMARC1; p=reject; np=no; rua=mailto:d@example.org");
        assertThat(badNp.nonExistentSubdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void section6_6_3_step6_missingPWithoutValidRuaIsInvalid() {
        assertThat(invalid("v=DMARC1")).contains("no p");
        assertThat(invalid("v=DMARC1; rua=not a uri")).contains("no p");
        assertThat(invalid("v=DMARC1; p=bogus")).contains("invalid p");
    }

    @Test
    void section6_2_reportUriSizeLimitsAndLists() {
        DmarcRecord r = valid("v=DMARC1; p=none; rua=mailto:a@example.com!10m, mailto:b@example.net ! 2G ,"
                + "https://reports.example.org/dmarc!500,mailto:c@example.com!1t");
        assertThat(r.rua()).extracting(ReportUri::maxBytes).containsExactly(OptionalLong.of(10L << 20),
                OptionalLong.of(2L << 30), OptionalLong.of(500), OptionalLong.of(1L << 40));
        assertThat(r.rua()).extracting(u -> u.host().orElseThrow())
                .containsExactly("example.com", "example.net", "reports.example.org", "example.com");
    }

    @Test
    void section6_2_invalidUrisAreDroppedOneByOne() {
        DmarcRecord r = valid("v=DMARC1; p=none; rua=mailto:a@example.com, no-scheme, mailto:x!9z, mailto:nobody,"
                + " mailto:b@example.com!99999999999999999999t");
        assertThat(r.rua()).extracting(u -> u.mailbox().orElseThrow()).containsExactly("a@example.com");
    }

    @Test
    void section6_2_mailboxIsDecodedAndHeadersDropped() {
        ReportUri u = ReportUri.parse("mailto:user%20x@Example.COM?subject=dmarc").orElseThrow();
        assertThat(u.mailbox()).contains("user x@Example.COM");
        assertThat(u.host()).contains("example.com");
        assertThat(ReportUri.parse("mailto:a@b.example!1k").orElseThrow().toString()).isEqualTo("mailto:a@b.example!1024");
    }

    @Test
    void tagListKeepsOrderAndRefusesControlCharacters() {
        DmarcTags.Parse p = DmarcTags.parse("v=DMARC1; p=none; zz=1; aa=2");
        assertThat(((DmarcTags.Parsed) p).tags().values().keySet()).containsExactly("v", "p", "zz", "aa");
        assertThat(DmarcTags.parse("v=DMARC1; p=none\r\n")).isInstanceOf(DmarcTags.Malformed.class);
        assertThat(DmarcTags.parse(null)).isInstanceOf(DmarcTags.NotDmarc.class);
    }

    @Test
    void recordValuesAreValidatedAtConstruction() {
        DmarcRecord r = DmarcRecord.of(DmarcPolicy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(DmarcPolicy.REJECT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DmarcRecord(DmarcPolicy.NONE, Optional.empty(),
                Optional.empty(), AlignmentMode.RELAXED, AlignmentMode.RELAXED, 101, false, PsdFlag.U,
                DmarcRecord.Reporting.defaults(), false)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DmarcRecord.Reporting(List.of(), List.of(),
                Set.of(), List.of("afrf"), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
