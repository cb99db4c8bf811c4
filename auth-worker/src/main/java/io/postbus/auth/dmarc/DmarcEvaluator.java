package io.postbus.auth.dmarc;

import io.postbus.auth.psl.PublicSuffixList;
import io.postbus.core.dns.DnsResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * DMARC evaluation (RFC 7489 §6.6): finds the policy, checks identifier alignment against the
 * DKIM and SPF outcomes, and picks the disposition. Pure apart from the injected DNS resolver and
 * the random source for {@code pct} sampling; never throws for a message, however malformed.
 *
 * <p>From field handling (§6.6.1, decided in ADR 0003): an unusable From (none, several fields,
 * bad syntax, no domain) is a permerror, reported with its {@link AuthorProblem} so that local
 * policy can act on it, as OpenDMARC does with multi-From messages. One From field with mailboxes
 * at several domains is evaluated once per domain and the strictest failing result wins, so an
 * extra mailbox cannot dilute a {@code p=reject}.
 */
public final class DmarcEvaluator {

    private final PolicyDiscovery discovery;
    private final IdentifierAlignment alignment;
    private final DomainExistence existence;
    private final RandomGenerator sampling;

    /**
     * @param sampling draws the {@code pct} sample ({@code nextInt(100) < pct} selects the message);
     *                 tests pass a fixed generator. The evaluator is thread-safe when this is: share
     *                 one built on {@link java.util.Random}, or use one evaluator per thread
     */
    public DmarcEvaluator(DnsResolver dns, PublicSuffixList psl, RandomGenerator sampling) {
        this.discovery = new PolicyDiscovery(dns, psl);
        this.alignment = new IdentifierAlignment(psl);
        this.existence = new DomainExistence(dns);
        this.sampling = Objects.requireNonNull(sampling, "sampling");
    }

    public DmarcOutcome evaluate(DmarcInput input) {
        AuthorDomains author = input.author();
        if (author instanceof AuthorDomains.Unusable u) {
            return new DmarcOutcome(DmarcResult.PERMERROR, Optional.empty(), Optional.of(u.problem()),
                    Optional.empty(), AlignmentResult.NOT_EVALUATED, "unusable RFC5322.From: " + u.detail());
        }
        List<DmarcOutcome> each = new ArrayList<>();
        for (String domain : author.domains()) {
            each.add(evaluate(domain, input));
        }
        if (each.size() == 1) {
            return each.get(0);
        }
        DmarcOutcome worst = each.stream().max(Comparator.comparingInt(DmarcEvaluator::severity)).orElseThrow();
        return new DmarcOutcome(worst.result(), worst.authorDomain(), Optional.of(AuthorProblem.MULTIPLE_DOMAINS),
                worst.policy(), worst.alignment(), worst.reason() + " (decisive among " + author.domains() + ")");
    }

    /**
     * Order for combining several author domains (§6.6.1): a fail with the strictest disposition,
     * then the strictest requested policy; then temperror, permerror, pass, none.
     */
    private static int severity(DmarcOutcome o) {
        switch (o.result()) {
            case FAIL:
                return 100 + 10 * o.disposition().ordinal() + o.policy().orElseThrow().requested().ordinal();
            case TEMPERROR: return 4;
            case PERMERROR: return 3;
            case PASS: return 2;
            default: return 1;
        }
    }

    private DmarcOutcome evaluate(String author, DmarcInput input) {
        Optional<String> from = Optional.of(author);
        PolicyDiscovery.Result found = discovery.discover(author);
        if (found instanceof PolicyDiscovery.NotFound n) {
            return new DmarcOutcome(DmarcResult.NONE, from, Optional.empty(), Optional.empty(),
                    AlignmentResult.NOT_EVALUATED, n.reason());
        }
        if (found instanceof PolicyDiscovery.TempError t) {
            return new DmarcOutcome(DmarcResult.TEMPERROR, from, Optional.empty(), Optional.empty(),
                    AlignmentResult.NOT_EVALUATED, t.reason());
        }
        if (found instanceof PolicyDiscovery.PermError p) {
            return new DmarcOutcome(DmarcResult.PERMERROR, from, Optional.empty(), Optional.empty(),
                    AlignmentResult.NOT_EVALUATED, p.reason());
        }
        PolicyDiscovery.Found record = (PolicyDiscovery.Found) found;
        PolicyTag tag = policyTag(author, record);
        DmarcPolicy requested = record.record().policyFor(tag);
        AlignmentResult aligned = align(author, record.record(), input);
        String where = "_dmarc." + record.policyDomain() + " " + tag.name().toLowerCase(Locale.ROOT)
                + "=" + requested.tag();
        if (aligned.passed()) {
            return new DmarcOutcome(DmarcResult.PASS, from, Optional.empty(), Optional.of(new AppliedPolicy(
                    record.policyDomain(), record.record(), tag, requested, DmarcPolicy.NONE, false)),
                    aligned, "aligned " + (aligned.dkim() == MechanismAlignment.PASS ? "DKIM" : "SPF") + " pass; " + where);
        }
        if (aligned.tempError()) {
            return new DmarcOutcome(DmarcResult.TEMPERROR, from, Optional.empty(), Optional.of(new AppliedPolicy(
                    record.policyDomain(), record.record(), tag, requested, DmarcPolicy.NONE, false)),
                    aligned, "no aligned pass, and an aligned identifier had a temporary error; " + where);
        }
        boolean sampledOut = requested != DmarcPolicy.NONE && !selected(record.record());
        DmarcPolicy disposition = sampledOut ? requested.downgraded() : requested;
        return new DmarcOutcome(DmarcResult.FAIL, from, Optional.empty(), Optional.of(new AppliedPolicy(
                record.policyDomain(), record.record(), tag, requested, disposition, sampledOut)),
                aligned, "no aligned DKIM or SPF pass; " + where
                + (sampledOut ? (record.record().testing() ? ", t=y" : ", not selected by pct=" + record.record().pct())
                        + " so " + disposition.tag() : ""));
    }

    /** p at the author domain; np for a non-existent subdomain when np is published; else sp. */
    private PolicyTag policyTag(String author, PolicyDiscovery.Found found) {
        if (found.atAuthorDomain()) {
            return PolicyTag.P;
        }
        // Only ask DNS when np is published: without it np falls back to sp anyway (RFC 9091 §4.1).
        if (found.record().np().isPresent() && existence.nonExistent(author)) {
            return PolicyTag.NP;
        }
        return PolicyTag.SP;
    }

    /**
     * Whether the policy is to be applied in full: never under {@code t=y} (RFC 9989), else with
     * probability pct/100 (RFC 7489 §6.6.4). The generator is only asked when pct is strictly between 0 and 100.
     */
    private boolean selected(DmarcRecord record) {
        if (record.testing()) {
            return false;
        }
        int pct = record.pct();
        return pct >= 100 || (pct > 0 && sampling.nextInt(100) < pct);
    }

    private AlignmentResult align(String author, DmarcRecord record, DmarcInput input) {
        MechanismAlignment dkim = MechanismAlignment.NONE;
        Optional<String> dkimDomain = Optional.empty();
        for (DkimCheck check : input.dkim()) {
            boolean aligns = alignment.aligned(check.domain(), author, record.adkim());
            if (check.result() == DkimCheck.Result.PASS) {
                if (aligns && (dkimDomain.isEmpty() || check.domain().equals(author))) {
                    dkim = MechanismAlignment.PASS; // prefer a d= equal to the author domain for the AR header
                    dkimDomain = Optional.of(check.domain());
                } else if (!aligns && dkim == MechanismAlignment.NONE) {
                    dkim = MechanismAlignment.NOT_ALIGNED;
                }
            } else if (check.result() == DkimCheck.Result.TEMPERROR && aligns && dkim != MechanismAlignment.PASS) {
                dkim = MechanismAlignment.TEMPERROR;
            }
        }
        MechanismAlignment spf = MechanismAlignment.NONE;
        Optional<String> spfDomain = Optional.empty();
        if (input.spf().isPresent()) {
            SpfCheck check = input.spf().get();
            boolean aligns = alignment.aligned(check.domain(), author, record.aspf());
            if (check.result() == SpfCheck.Result.PASS) {
                spf = aligns ? MechanismAlignment.PASS : MechanismAlignment.NOT_ALIGNED;
                spfDomain = aligns ? Optional.of(check.domain()) : Optional.empty();
            } else if (check.result() == SpfCheck.Result.TEMPERROR && aligns) {
                spf = MechanismAlignment.TEMPERROR;
            }
        }
        return new AlignmentResult(dkim, dkimDomain, spf, spfDomain);
    }
}
