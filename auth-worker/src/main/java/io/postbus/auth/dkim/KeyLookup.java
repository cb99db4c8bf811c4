package io.postbus.auth.dkim;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import java.util.List;
import java.util.Locale;

/**
 * Fetches and parses the key record for a selector and domain (RFC 6376 §3.6.2.2), keeping apart what a
 * verifier must keep apart: no record (permerror), a broken record (permerror), a DNS failure
 * (temperror, RFC 6376 §6.1.2 step 3).
 */
public final class KeyLookup {
    private final DnsResolver dns;

    public KeyLookup(DnsResolver dns) {
        this.dns = dns;
    }

    /** The outcome of one key query. */
    public sealed interface Outcome {
        /** A usable record (it may still be revoked: check {@link KeyRecord#revoked()}). */
        record Found(KeyRecord key) implements Outcome {}

        /** NXDOMAIN or no TXT record: permanent. */
        record Missing(String name) implements Outcome {}

        /** The record exists but breaks the syntax or holds no usable key: permanent. */
        record Invalid(String name, String reason) implements Outcome {}

        /** DNS did not answer: transient, try again later. */
        record TemporaryFailure(String name, String reason) implements Outcome {}
    }

    public Outcome lookup(String selector, String domain) {
        String name = (selector + "._domainkey." + domain).toLowerCase(Locale.ROOT);
        DnsResult<List<String>> result = dns.txt(name);
        if (result instanceof DnsResult.Failure<List<String>> f) {
            return new Outcome.TemporaryFailure(name, "key query failed: " + f.kind());
        }
        if (!(result instanceof DnsResult.Answer<List<String>> answer) || answer.value().isEmpty()) {
            return new Outcome.Missing(name);
        }
        // Several TXT records at one name are ambiguous; RFC 6376 §3.6.2.2 lets a verifier use the first
        // one that parses, which is what dkimpy and OpenDKIM do.
        String firstProblem = null;
        for (String txt : answer.value()) {
            try {
                return new Outcome.Found(KeyRecord.parse(txt));
            } catch (MalformedTagListException | DkimKeys.InvalidKeyMaterialException e) {
                if (firstProblem == null) {
                    firstProblem = e.getMessage();
                }
            }
        }
        return new Outcome.Invalid(name, firstProblem);
    }
}
