package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.psl.TestPsl;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 7489 §6.6 evaluation: results, policy selection, pct (§6.6.4), np (RFC 9091), temperror. */
class DmarcEvaluatorTest {

    private static final ZoneFileResolver DNS = TestDns.of(
            "_dmarc.example.com TXT v=DMARC1; p=reject; sp=quarantine; np=none; rua=mailto:agg@example.com",
            "example.com A 192.0.2.1",
            "mail.example.com A 192.0.2.2",
            "_dmarc.strict.example TXT v=DMARC1; p=reject; adkim=s; aspf=s",
            "_dmarc.half.example TXT v=DMARC1; p=reject; pct=50",
            "_dmarc.testing.example TXT v=DMARC1; p=reject; t=y",
            "_dmarc.zero.example TXT v=DMARC1; p=quarantine; pct=0",
            "_dmarc.monitor.example TXT v=DMARC1; p=none",
            "_dmarc.broken.example TXT v=DMARC1; p=reject; pct=abc",
            "_dmarc.nosp.example TXT v=DMARC1; p=reject; np=quarantine",
            "www.nosp.example AAAA 2001:db8::1");

    private final FixedRandom random = new FixedRandom(99);
    private final DmarcEvaluator evaluator = new DmarcEvaluator(DNS, TestPsl.list(), random);

    private DmarcOutcome eval(String from, List<DkimCheck> dkim, Optional<SpfCheck> spf) {
        return evaluator.evaluate(DmarcInput.of(from, dkim, spf));
    }

    private static Optional<SpfCheck> spf(String domain, SpfCheck.Result result) {
        return Optional.of(SpfCheck.mailFrom(domain, result));
    }

    @Test
    void section4_2_alignedDkimPassIsAPass() {
        DmarcOutcome o = eval("example.com", List.of(DkimCheck.pass("example.com")), Optional.empty());
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.authorDomain()).contains("example.com");
        assertThat(o.alignment().dkimDomain()).contains("example.com");
        assertThat(o.alignment().spf()).isEqualTo(MechanismAlignment.NONE);
        assertThat(o.policy().orElseThrow().tag()).isEqualTo(PolicyTag.P);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.rua()).hasSize(1);
    }

    @Test
    void section4_2_alignedSpfPassAloneIsAPass() {
        DmarcOutcome o = eval("example.com", List.of(new DkimCheck("other.example", DkimCheck.Result.PASS)),
                spf("bounces.example.com", SpfCheck.Result.PASS));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.alignment().spfDomain()).contains("bounces.example.com");
        assertThat(o.alignment().dkim()).isEqualTo(MechanismAlignment.NOT_ALIGNED);
    }

    @Test
    void section3_1_strictModeNeedsTheExactDomain() {
        DmarcOutcome o = eval("strict.example", List.of(DkimCheck.pass("mail.strict.example")),
                spf("mail.strict.example", SpfCheck.Result.PASS));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.alignment().dkim()).isEqualTo(MechanismAlignment.NOT_ALIGNED);
        assertThat(o.alignment().spf()).isEqualTo(MechanismAlignment.NOT_ALIGNED);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void section4_2_failedMechanismsGiveFailWithTheRequestedPolicy() {
        DmarcOutcome o = eval("example.com", List.of(new DkimCheck("example.com", DkimCheck.Result.FAIL)),
                spf("example.com", SpfCheck.Result.SOFTFAIL));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.alignment().dkim()).isEqualTo(MechanismAlignment.NONE);
        AppliedPolicy p = o.policy().orElseThrow();
        assertThat(p.requested()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(p.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(p.sampledOut()).isFalse();
        assertThat(o.reason()).contains("p=reject");
    }

    @Test
    void section6_6_3_existingSubdomainGetsSp() {
        DmarcOutcome o = eval("mail.example.com", List.of(), Optional.empty());
        assertThat(o.policy().orElseThrow().tag()).isEqualTo(PolicyTag.SP);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(o.policy().orElseThrow().policyDomain()).isEqualTo("example.com");
    }

    @Test
    void rfc9091_nonExistentSubdomainGetsNp() {
        DmarcOutcome o = eval("ghost.example.com", List.of(), Optional.empty());
        assertThat(o.policy().orElseThrow().tag()).isEqualTo(PolicyTag.NP);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    }

    @Test
    void rfc9091_aaaaOnlyCountsAsExisting_andNpDefaultsToSpToP() {
        assertThat(eval("www.nosp.example", List.of(), Optional.empty()).policy().orElseThrow().tag())
                .isEqualTo(PolicyTag.SP);
        DmarcOutcome ghost = eval("ghost.nosp.example", List.of(), Optional.empty());
        assertThat(ghost.policy().orElseThrow().tag()).isEqualTo(PolicyTag.NP);
        assertThat(ghost.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    }

    @Test
    void rfc9091_dnsFailureOnTheExistenceCheckMeansSp() {
        DmarcEvaluator e = new DmarcEvaluator(DNS.withFailure("flaky.example.com", Kind.SERVFAIL), TestPsl.list(), random);
        DmarcOutcome o = e.evaluate(DmarcInput.of("flaky.example.com", List.of(), Optional.empty()));
        assertThat(o.policy().orElseThrow().tag()).isEqualTo(PolicyTag.SP);
    }

    @Test
    void section6_6_4_pctNotSelectedLowersRejectToQuarantine() {
        DmarcOutcome o = eval("half.example", List.of(), Optional.empty()); // draws 99 >= 50: not selected
        assertThat(o.policy().orElseThrow().sampledOut()).isTrue();
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(o.reason()).contains("pct=50");
        assertThat(random.draws()).isEqualTo(1);
    }

    @Test
    void section6_6_4_pctSelectedAppliesThePolicy() {
        DmarcEvaluator e = new DmarcEvaluator(DNS, TestPsl.list(), new FixedRandom(49));
        DmarcOutcome o = e.evaluate(DmarcInput.of("half.example", List.of(), Optional.empty()));
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(o.policy().orElseThrow().sampledOut()).isFalse();
    }

    @Test
    void section6_6_4_pctZeroLowersQuarantineToNoneWithoutDrawing() {
        DmarcOutcome o = eval("zero.example", List.of(), Optional.empty());
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.policy().orElseThrow().sampledOut()).isTrue();
        assertThat(random.draws()).isZero();
    }

    @Test
    void section6_6_4_samplingIsNotConsultedForPassesOrFullPct() {
        eval("example.com", List.of(DkimCheck.pass("example.com")), Optional.empty());
        eval("example.com", List.of(), Optional.empty());
        eval("monitor.example", List.of(), Optional.empty());
        assertThat(random.draws()).isZero();
    }

    @Test
    void rfc9989_testingFlagLowersOneStep() {
        DmarcOutcome o = eval("testing.example", List.of(), Optional.empty());
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(o.reason()).contains("t=y");
    }

    @Test
    void pNoneFailsWithDispositionNone() {
        DmarcOutcome o = eval("monitor.example", List.of(), spf("monitor.example", SpfCheck.Result.FAIL));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.policy().orElseThrow().sampledOut()).isFalse();
    }

    @Test
    void section6_6_3_noRecordIsNone() {
        DmarcOutcome o = eval("nothing.example", List.of(DkimCheck.pass("nothing.example")), Optional.empty());
        assertThat(o.result()).isEqualTo(DmarcResult.NONE);
        assertThat(o.policy()).isEmpty();
        assertThat(o.alignment()).isEqualTo(AlignmentResult.NOT_EVALUATED);
    }

    @Test
    void invalidRecordIsPermError() {
        DmarcOutcome o = eval("broken.example", List.of(), Optional.empty());
        assertThat(o.result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(o.reason()).contains("pct");
        assertThat(o.authorProblem()).isEmpty();
    }

    @Test
    void section6_6_3_dnsFailureIsTempErrorNeverFail() {
        DmarcEvaluator e = new DmarcEvaluator(DNS.withFailure("_dmarc.example.com", Kind.TIMEOUT), TestPsl.list(), random);
        DmarcOutcome o = e.evaluate(DmarcInput.of("example.com", List.of(), Optional.empty()));
        assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void temperrorOnAnIdentifierThatWouldAlignIsATempError() {
        DmarcOutcome o = eval("example.com", List.of(new DkimCheck("example.com", DkimCheck.Result.TEMPERROR)),
                spf("elsewhere.example", SpfCheck.Result.PASS));
        assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(o.alignment().dkim()).isEqualTo(MechanismAlignment.TEMPERROR);
        assertThat(o.policy()).isPresent(); // the record was found: its rua still gets the report
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        DmarcOutcome spfTemp = eval("example.com", List.of(), spf("example.com", SpfCheck.Result.TEMPERROR));
        assertThat(spfTemp.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(DmarcInput.of("example.com", List.of(), spf("example.com", SpfCheck.Result.TEMPERROR))
                .anyTempError()).isTrue();
    }

    @Test
    void temperrorOnAnUnalignedIdentifierCannotChangeTheResult() {
        DmarcOutcome o = eval("example.com", List.of(new DkimCheck("other.example", DkimCheck.Result.TEMPERROR)),
                spf("other.example", SpfCheck.Result.TEMPERROR));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    }

    @Test
    void anAlignedPassWinsOverATempError() {
        DmarcOutcome o = eval("example.com", List.of(new DkimCheck("example.com", DkimCheck.Result.TEMPERROR),
                DkimCheck.pass("mail.example.com")), Optional.empty());
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.alignment().dkimDomain()).contains("mail.example.com");
    }

    @Test
    void dkimDomainEqualToTheAuthorIsPreferredForTheHeader() {
        DmarcOutcome o = eval("example.com", List.of(DkimCheck.pass("mail.example.com"), DkimCheck.pass("Example.COM")),
                Optional.empty());
        assertThat(o.alignment().dkimDomain()).contains("example.com");
    }

    @Test
    void section6_6_1_unusableFromIsPermErrorWithItsProblem() {
        DmarcOutcome o = evaluator.evaluate(new DmarcInput(FromFieldParser.parse(List.of("a@example.com", "b@example.com")),
                List.of(), Optional.empty()));
        assertThat(o.result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(o.authorProblem()).contains(AuthorProblem.MULTIPLE_FROM_FIELDS);
        assertThat(o.authorDomain()).isEmpty();
    }

    @Test
    void section6_6_1_severalDomainsTheStrictestFailureWins() {
        AuthorDomains from = FromFieldParser.parse(List.of("a@monitor.example, b@example.com, c@nothing.example"));
        DmarcOutcome o = evaluator.evaluate(new DmarcInput(from, List.of(DkimCheck.pass("monitor.example")),
                Optional.empty()));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.authorDomain()).contains("example.com");
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(o.authorProblem()).contains(AuthorProblem.MULTIPLE_DOMAINS);
        assertThat(o.reason()).contains("decisive among");
    }

    @Test
    void section6_6_1_severalDomainsAllPassing() {
        AuthorDomains from = FromFieldParser.parse(List.of("a@monitor.example, b@example.com"));
        DmarcOutcome o = evaluator.evaluate(new DmarcInput(from,
                List.of(DkimCheck.pass("monitor.example"), DkimCheck.pass("example.com")), Optional.empty()));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    }

    @Test
    void idnAuthorDomainIsEvaluatedAsALabel() {
        ZoneFileResolver dns = TestDns.of("_dmarc.xn--bcher-kva.example TXT v=DMARC1; p=reject");
        DmarcEvaluator e = new DmarcEvaluator(dns, TestPsl.list(), random);
        DmarcOutcome o = e.evaluate(DmarcInput.of("Bücher.example", List.of(DkimCheck.pass("xn--bcher-kva.example")),
                Optional.empty()));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.authorDomain()).contains("xn--bcher-kva.example");
    }
}
