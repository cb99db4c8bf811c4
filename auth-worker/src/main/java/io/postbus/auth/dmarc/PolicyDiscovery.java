package io.postbus.auth.dmarc;

import io.postbus.auth.psl.PublicSuffixList;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the DMARC policy record for an author domain (RFC 7489 §6.6.3): {@code _dmarc.<author>},
 * then, if that yields no DMARC record, {@code _dmarc.<Organizational Domain>} (from the Public
 * Suffix List). TXT records not starting with {@code v=DMARC1} are discarded; several DMARC
 * records at the name that answers end discovery with no policy (step 5). A DNS failure is a
 * temperror and ends discovery at once: the missing answer might have held the record, so it is
 * never read as "no record" (and never as fail).
 */
public final class PolicyDiscovery {

    /** The outcome of discovery. */
    public sealed interface Result permits Found, NotFound, TempError, PermError {}

    /** A record: at the author domain ({@code atAuthorDomain}) or at its Organizational Domain. */
    public record Found(String policyDomain, DmarcRecord record, boolean atAuthorDomain) implements Result {
        public Found {
            Objects.requireNonNull(policyDomain, "policyDomain");
            Objects.requireNonNull(record, "record");
        }
    }

    /** No applicable record: DMARC does not apply (result none). */
    public record NotFound(String reason) implements Result {}

    /** A DNS failure: result temperror. */
    public record TempError(String reason) implements Result {}

    /** The applicable record is invalid: result permerror. */
    public record PermError(String policyDomain, String reason) implements Result {}

    private final DnsResolver dns;
    private final PublicSuffixList psl;

    public PolicyDiscovery(DnsResolver dns, PublicSuffixList psl) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.psl = Objects.requireNonNull(psl, "psl");
    }

    /** @param authorDomain lower-case A-label form */
    public Result discover(String authorDomain) {
        Optional<Result> atAuthor = lookup(authorDomain, true);
        if (atAuthor.isPresent()) {
            return atAuthor.get();
        }
        Optional<String> org = psl.registrableDomain(authorDomain);
        if (org.isEmpty()) {
            // The author domain is itself a public suffix: it has no Organizational Domain to ask.
            return new NotFound("no DMARC record at _dmarc." + authorDomain + ", which is a public suffix");
        }
        if (org.get().equals(authorDomain)) {
            return new NotFound("no DMARC record at _dmarc." + authorDomain);
        }
        return lookup(org.get(), false).orElseGet(() -> new NotFound(
                "no DMARC record at _dmarc." + authorDomain + " or _dmarc." + org.get()));
    }

    /** The decision for one name, or empty when it holds no DMARC record (step 3 goes on). */
    private Optional<Result> lookup(String domain, boolean atAuthor) {
        String name = "_dmarc." + domain;
        DnsResult<List<String>> answer = dns.txt(name);
        if (answer instanceof DnsResult.Failure<List<String>> f) {
            return Optional.of(new TempError("DNS " + f.kind() + " for " + name + " TXT"));
        }
        if (!(answer instanceof DnsResult.Answer<List<String>> a)) {
            return Optional.empty();
        }
        List<DmarcRecordParser.Result> dmarc = new ArrayList<>();
        for (String txt : a.value()) {
            DmarcRecordParser.Result r = DmarcRecordParser.parse(txt);
            if (!(r instanceof DmarcRecordParser.NotDmarc)) {
                dmarc.add(r);
            }
        }
        if (dmarc.isEmpty()) {
            return Optional.empty();
        }
        if (dmarc.size() > 1) {
            return Optional.of(new NotFound(dmarc.size() + " DMARC records at " + name + " (RFC 7489 §6.6.3 step 5)"));
        }
        DmarcRecordParser.Result only = dmarc.get(0);
        if (only instanceof DmarcRecordParser.Invalid inv) {
            return Optional.of(new PermError(domain, "invalid DMARC record at " + name + ": " + inv.reason()));
        }
        return Optional.of(new Found(domain, ((DmarcRecordParser.Valid) only).record(), atAuthor));
    }
}
