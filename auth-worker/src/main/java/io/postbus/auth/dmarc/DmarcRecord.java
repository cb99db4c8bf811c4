package io.postbus.auth.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A valid DMARC policy record (RFC 7489 §6.3, plus {@code np} from RFC 9091 and {@code t},
 * {@code psd} from RFC 9989). Built by {@link DmarcRecordParser}; defaults filled in.
 *
 * @param p              requested policy for the domain itself
 * @param sp             requested policy for subdomains, if published (else {@code p} applies)
 * @param np             requested policy for non-existent subdomains, if published (else {@code sp})
 * @param adkim          DKIM alignment mode (default relaxed)
 * @param aspf           SPF alignment mode (default relaxed)
 * @param pct            percentage of failing mail the policy is to be applied to, 0..100 (default 100)
 * @param testing        {@code t=y}: the Domain Owner is testing; apply one step less (RFC 9989)
 * @param psd            {@code psd} flag (RFC 9989), informational here
 * @param reporting      where and how to send reports
 * @param policyAssumed  the record had no valid {@code p} (or an invalid {@code sp}/{@code np}) but a
 *                       valid {@code rua}, so it is read as {@code p=none} (RFC 7489 §6.6.3 step 6.1)
 */
public record DmarcRecord(DmarcPolicy p, Optional<DmarcPolicy> sp, Optional<DmarcPolicy> np,
                          AlignmentMode adkim, AlignmentMode aspf, int pct, boolean testing, PsdFlag psd,
                          Reporting reporting, boolean policyAssumed) {

    /** The reporting tags: {@code rua}, {@code ruf}, {@code fo}, {@code rf}, {@code ri}. */
    public record Reporting(List<ReportUri> rua, List<ReportUri> ruf, Set<FailureReportOption> fo,
                            List<String> rf, long ri) {
        public static final long DEFAULT_INTERVAL = 86_400;

        public Reporting {
            rua = List.copyOf(rua);
            ruf = List.copyOf(ruf);
            fo = Set.copyOf(fo);
            rf = List.copyOf(rf);
            if (fo.isEmpty() || rf.isEmpty()) {
                throw new IllegalArgumentException("fo and rf have defaults and are never empty");
            }
            if (ri < 0 || ri > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ri out of range: " + ri);
            }
        }

        public static Reporting defaults() {
            return new Reporting(List.of(), List.of(), Set.of(FailureReportOption.ALL_FAIL), List.of("afrf"),
                    DEFAULT_INTERVAL);
        }
    }

    public DmarcRecord {
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(sp, "sp");
        Objects.requireNonNull(np, "np");
        Objects.requireNonNull(adkim, "adkim");
        Objects.requireNonNull(aspf, "aspf");
        Objects.requireNonNull(psd, "psd");
        Objects.requireNonNull(reporting, "reporting");
        if (pct < 0 || pct > 100) {
            throw new IllegalArgumentException("pct out of range: " + pct);
        }
    }

    /** A record with every optional tag at its default. */
    public static DmarcRecord of(DmarcPolicy p) {
        return new DmarcRecord(p, Optional.empty(), Optional.empty(), AlignmentMode.RELAXED, AlignmentMode.RELAXED,
                100, false, PsdFlag.U, Reporting.defaults(), false);
    }

    /** The policy for existing subdomains: {@code sp}, else {@code p} (RFC 7489 §6.3). */
    public DmarcPolicy subdomainPolicy() {
        return sp.orElse(p);
    }

    /** The policy for non-existent subdomains: {@code np}, else {@code sp}, else {@code p} (RFC 9091 §4.1). */
    public DmarcPolicy nonExistentSubdomainPolicy() {
        return np.orElse(subdomainPolicy());
    }

    public DmarcPolicy policyFor(PolicyTag tag) {
        switch (tag) {
            case P: return p;
            case SP: return subdomainPolicy();
            default: return nonExistentSubdomainPolicy();
        }
    }

    public List<ReportUri> rua() {
        return reporting.rua();
    }

    public List<ReportUri> ruf() {
        return reporting.ruf();
    }
}
