package io.postbus.auth.dmarc;

import io.postbus.auth.psl.PublicSuffixList;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks report destinations outside the policy's Organizational Domain before any report goes
 * there (RFC 7489 §7.1): the destination's owner must publish {@code v=DMARC1} at
 * {@code <policy domain>._report._dmarc.<destination host>}, so nobody can aim reports at a
 * stranger. The record may replace the URIs with its own {@code rua}/{@code ruf}, but only ones at
 * the same host (step 8, against loops and abuse).
 */
public final class ReportDestinationVerifier {

    /** Which list is being checked, so the right override tag is read. */
    public enum ReportKind { AGGREGATE, FAILURE }

    /**
     * @param authorized where reports may go (after any override)
     * @param refused    destinations that did not authorize the policy domain
     * @param retryLater destinations whose check hit a DNS failure
     */
    public record Verified(List<ReportUri> authorized, List<ReportUri> refused, List<ReportUri> retryLater) {
        public Verified {
            authorized = List.copyOf(authorized);
            refused = List.copyOf(refused);
            retryLater = List.copyOf(retryLater);
        }
    }

    private final DnsResolver dns;
    private final IdentifierAlignment orgDomains;

    public ReportDestinationVerifier(DnsResolver dns, PublicSuffixList psl) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.orgDomains = new IdentifierAlignment(psl);
    }

    /** @param policyDomain the domain the policy record was found at (lower-case A-labels) */
    public Verified verify(String policyDomain, List<ReportUri> uris, ReportKind kind) {
        Set<ReportUri> authorized = new LinkedHashSet<>();
        List<ReportUri> refused = new ArrayList<>();
        List<ReportUri> retry = new ArrayList<>();
        String policyOrg = orgDomains.organizationalDomain(policyDomain);
        for (ReportUri uri : uris) {
            Optional<String> host = uri.host().map(InputDomains::normalize);
            if (host.isEmpty()) {
                refused.add(uri);
            } else if (orgDomains.organizationalDomain(host.get()).equals(policyOrg)) {
                authorized.add(uri);
            } else {
                DnsResult<List<String>> answer = dns.txt(policyDomain + "._report._dmarc." + host.get());
                if (answer.isFailure()) {
                    retry.add(uri);
                } else if (answer instanceof DnsResult.Answer<List<String>> a && authorizes(a.value())) {
                    authorized.addAll(override(a.value(), host.get(), kind).orElse(List.of(uri)));
                } else {
                    refused.add(uri);
                }
            }
        }
        return new Verified(List.copyOf(authorized), refused, retry);
    }

    /** Step 5-7: at least one record that is a tag list starting with v=DMARC1. */
    private static boolean authorizes(List<String> records) {
        return records.stream().anyMatch(r -> DmarcTags.parse(r) instanceof DmarcTags.Parsed);
    }

    /** Step 8: the record's own rua/ruf, restricted to the same destination host. */
    private static Optional<List<ReportUri>> override(List<String> records, String host, ReportKind kind) {
        String tag = kind == ReportKind.AGGREGATE ? "rua" : "ruf";
        for (String r : records) {
            if (DmarcTags.parse(r) instanceof DmarcTags.Parsed p && p.tags().get(tag).isPresent()) {
                List<ReportUri> same = new ArrayList<>();
                for (String entry : p.tags().get(tag).get().split(",", -1)) {
                    ReportUri.parse(entry).filter(u -> u.host().map(InputDomains::normalize).equals(Optional.of(host)))
                            .ifPresent(same::add);
                }
                if (!same.isEmpty()) {
                    return Optional.of(same);
                }
            }
        }
        return Optional.empty();
    }
}
