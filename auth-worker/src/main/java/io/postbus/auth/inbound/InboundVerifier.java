package io.postbus.auth.inbound;

import io.postbus.auth.arc.ArcSealer;
import io.postbus.auth.arc.ArcValidation;
import io.postbus.auth.arc.ArcValidator;
import io.postbus.auth.arc.SealOutcome;
import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dmarc.DkimCheck;
import io.postbus.auth.dmarc.DmarcAction;
import io.postbus.auth.dmarc.DmarcEvaluator;
import io.postbus.auth.dmarc.DmarcInput;
import io.postbus.auth.dmarc.DmarcLocalPolicy;
import io.postbus.auth.dmarc.DmarcOutcome;
import io.postbus.auth.dmarc.FromFieldParser;
import io.postbus.auth.dmarc.SpfCheck;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.auth.results.AuthenticationResultsHeader;
import io.postbus.auth.results.ForgedClaims;
import io.postbus.auth.results.ResultClause;
import io.postbus.auth.results.ResultClauses;
import io.postbus.auth.spf.SpfIdentity;
import io.postbus.auth.spf.SpfReport;
import io.postbus.auth.spf.SpfRequest;
import io.postbus.auth.spf.SpfVerdict;
import io.postbus.auth.spf.SpfVerifier;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The receiving side of the auth-worker (port-25 mail): DKIM, SPF and ARC first, DMARC from their
 * results (RFC 7489 §4), one Authentication-Results header in our name, and an ARC seal when we are
 * configured to forward with one. Pure: DNS and time come in through the parts.
 *
 * <p>Order matters. ARC is validated on the message as it arrived, before we remove anything; forged
 * claims in our name are removed next (RFC 8601 §5); then our header goes on top, and the ARC set (whose
 * ARC-Authentication-Results copies our header's payload) above it.
 */
public final class InboundVerifier {
    /** The AMS h= list when sealing: the fields a forwarder must not change, From first (RFC 8617 §4.1.2). */
    static final List<String> ARC_SIGNED_HEADERS = List.of("from", "to", "cc", "subject", "date", "message-id",
            "reply-to", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "dkim-signature");

    private final String authservId;
    private final DkimVerifier dkim;
    private final SpfVerifier spf;
    private final ArcValidator arc;
    private final DmarcEvaluator dmarc;
    private final DmarcLocalPolicy localPolicy;
    private final Optional<ArcSealer> sealer;

    public InboundVerifier(String authservId, DkimVerifier dkim, SpfVerifier spf, ArcValidator arc, DmarcEvaluator dmarc,
                           DmarcLocalPolicy localPolicy, Optional<ArcSealer> sealer) {
        this.authservId = Objects.requireNonNull(authservId, "authservId");
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.spf = Objects.requireNonNull(spf, "spf");
        this.arc = Objects.requireNonNull(arc, "arc");
        this.dmarc = Objects.requireNonNull(dmarc, "dmarc");
        this.localPolicy = Objects.requireNonNull(localPolicy, "localPolicy");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    public InboundReport verify(SmtpTransaction tx, byte[] message) {
        RawMessage received = RawMessage.parse(message);
        List<DkimResult> dkimResults = dkim.verify(received);
        SpfReport spfReport = spf.verify(new SpfRequest(tx.clientAddress(), tx.helo(), tx.mailFrom()));
        ArcValidation chain = arc.validate(received);
        DmarcOutcome dmarcOutcome = dmarc.evaluate(dmarcInput(received, dkimResults, spfReport.verdict()));
        DmarcAction action = localPolicy.actionFor(dmarcOutcome);

        List<ResultClause> clauses = new ArrayList<>(ResultClauses.dkim(dkimResults));
        clauses.addAll(ResultClauses.spf(spfReport, tx.clientIp(), authservId));
        clauses.add(ResultClauses.dmarc(dmarcOutcome));
        clauses.add(ResultClauses.arc(chain, tx.clientIp()));

        RawMessage cleaned = RawMessage.parse(ForgedClaims.remove(received, authservId).message());
        HeaderField ours = AuthenticationResultsHeader.render(authservId, clauses);
        byte[] out = prepend(List.of(ours), cleaned.bytes());
        boolean sealed = false;
        if (sealer.isPresent()) {
            String payload = AuthenticationResultsHeader.value(authservId, clauses).replace("\n\t", " ");
            SealOutcome seal = sealer.get().seal(RawMessage.parse(out), authservId, payload, chain, ARC_SIGNED_HEADERS);
            if (seal instanceof SealOutcome.Sealed s) {
                out = prepend(s.headers().topDown(), out);
                sealed = true;
            }
        }
        return new InboundReport(dkimResults, spfReport, chain, dmarcOutcome, action, out, sealed);
    }

    static DmarcInput dmarcInput(RawMessage message, List<DkimResult> dkimResults, SpfVerdict spfVerdict) {
        List<String> from = new ArrayList<>();
        for (HeaderField h : message.headers("From")) {
            from.add(h.unfoldedValue());
        }
        List<DkimCheck> checks = new ArrayList<>();
        for (DkimResult r : dkimResults) {
            if (r.verdict() != DkimVerdict.NONE && !r.domain().isEmpty()) {
                checks.add(new DkimCheck(r.domain(), DkimCheck.Result.valueOf(r.verdict().name())));
            }
        }
        SpfCheck.Scope scope = spfVerdict.identity() == SpfIdentity.HELO ? SpfCheck.Scope.HELO : SpfCheck.Scope.MFROM;
        Optional<SpfCheck> spfCheck = spfVerdict.domain().isEmpty() ? Optional.empty()
                : Optional.of(new SpfCheck(spfVerdict.domain(), scope, SpfCheck.Result.valueOf(spfVerdict.result().name())));
        return new DmarcInput(FromFieldParser.parse(from), checks, spfCheck);
    }

    static byte[] prepend(List<HeaderField> fields, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 1024);
        for (HeaderField f : fields) {
            out.writeBytes(f.raw());
        }
        out.writeBytes(message);
        return out.toByteArray();
    }
}
