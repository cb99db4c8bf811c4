package io.postbus.auth.dmarc;

import java.util.List;
import java.util.Objects;

/**
 * The policy record that governs the message and what it led to.
 *
 * @param policyDomain where the record was found: the author domain or its Organizational Domain
 * @param record       the record
 * @param tag          which policy tag applied ({@code p}, {@code sp} or {@code np})
 * @param requested    that tag's value
 * @param disposition  what to do: {@code requested} on a DMARC fail, lowered one step when the message
 *                     was not selected by {@code pct} or the record says {@code t=y}; NONE on a pass
 * @param sampledOut   true when {@code pct} or {@code t=y} lowered the disposition (the aggregate
 *                     report's {@code sampled_out} override)
 */
public record AppliedPolicy(String policyDomain, DmarcRecord record, PolicyTag tag, DmarcPolicy requested,
                            DmarcPolicy disposition, boolean sampledOut) {

    public AppliedPolicy {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(disposition, "disposition");
        if (requested != record.policyFor(tag)) {
            throw new IllegalArgumentException("requested " + requested + " but the record's " + tag + " is "
                    + record.policyFor(tag));
        }
        if (disposition.compareTo(requested) > 0) {
            throw new IllegalArgumentException("disposition " + disposition + " stricter than requested " + requested);
        }
        if (sampledOut && (requested == DmarcPolicy.NONE || disposition != requested.downgraded())) {
            throw new IllegalArgumentException("sampling lowers a policy by exactly one step");
        }
    }

    public List<ReportUri> rua() {
        return record.rua();
    }

    public List<ReportUri> ruf() {
        return record.ruf();
    }
}
