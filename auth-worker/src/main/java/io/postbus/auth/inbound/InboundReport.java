package io.postbus.auth.inbound;

import io.postbus.auth.arc.ArcValidation;
import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dmarc.DmarcAction;
import io.postbus.auth.dmarc.DmarcOutcome;
import io.postbus.auth.spf.SpfReport;
import java.util.List;
import java.util.Objects;

/**
 * Everything the auth-worker concluded about one inbound message, and the message as it leaves:
 * without forged claims in our name, with our Authentication-Results header (and our ARC set when sealing).
 *
 * @param dkim     one result per signature ({@code none} for an unsigned message)
 * @param spf      the SPF checks
 * @param arc      the ARC chain validation
 * @param dmarc    the DMARC evaluation, built from the three above (RFC 7489 §4)
 * @param action   what local policy makes of the DMARC outcome
 * @param message  the bytes to pass on
 * @param sealed   whether we added an ARC set
 */
public record InboundReport(List<DkimResult> dkim, SpfReport spf, ArcValidation arc, DmarcOutcome dmarc,
                            DmarcAction action, byte[] message, boolean sealed) {
    public InboundReport {
        dkim = List.copyOf(dkim);
        Objects.requireNonNull(spf, "spf");
        Objects.requireNonNull(arc, "arc");
        Objects.requireNonNull(dmarc, "dmarc");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(message, "message");
    }
}
