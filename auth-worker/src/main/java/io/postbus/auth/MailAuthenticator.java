package io.postbus.auth;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dmarc.DmarcAction;
import io.postbus.auth.inbound.InboundReport;
import io.postbus.auth.inbound.InboundVerifier;
import io.postbus.auth.inbound.SmtpTransaction;
import io.postbus.auth.originating.OriginatingSigner;
import io.postbus.schemas.ArcResult;
import io.postbus.schemas.ArcVerdict;
import io.postbus.schemas.AuthResults;
import io.postbus.schemas.DkimSignature;
import io.postbus.schemas.DkimVerdict;
import io.postbus.schemas.DmarcResult;
import io.postbus.schemas.DmarcVerdict;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.SpfIdentity;
import io.postbus.schemas.SpfResult;
import io.postbus.schemas.SpfVerdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The auth-worker's authenticator: inbound mail is verified, originating mail (authenticated or from
 * mynetworks, as the ingress decided) is signed. Maps the pure cores' verdicts to the Avro contract.
 */
public final class MailAuthenticator implements MessageAuthenticator {
    private final String authservId;
    private final InboundVerifier inbound;
    private final OriginatingSigner originating;

    public MailAuthenticator(String authservId, InboundVerifier inbound, OriginatingSigner originating) {
        this.authservId = Objects.requireNonNull(authservId, "authservId");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.originating = Objects.requireNonNull(originating, "originating");
    }

    @Override
    public Outcome authenticate(Envelope envelope, byte[] message) {
        if (envelope.getDirection() == Direction.ORIGINATING) {
            OriginatingSigner.Signed signed = originating.sign(message);
            List<DkimSignature> added = new ArrayList<>();
            for (DkimSigningKey k : signed.keys()) {
                added.add(DkimSignature.newBuilder().setDomain(k.domain()).setSelector(k.selector())
                        .setAlgorithm(k.algorithm().tagValue()).build());
            }
            return Outcome.passOn(AuthResults.newBuilder().setAuthservId(authservId).setSignedBy(added).build(),
                    signed.message());
        }
        InboundReport report = inbound.verify(transaction(envelope), message);
        AuthResults results = AuthResults.newBuilder()
                .setAuthservId(authservId)
                .setDkim(dkim(report.dkim()))
                .setSpf(spf(report))
                .setDmarc(dmarc(report))
                .setArc(ArcResult.newBuilder()
                        .setChainValidation(ArcVerdict.valueOf(report.arc().status().name()))
                        .setInstances(report.arc().instances())
                        .setReason(report.arc().failure().map(f -> f.reason()).orElse(null))
                        .build())
                .build();
        String reason = "DMARC " + report.dmarc().result().token() + " for " + report.dmarc().authorDomain().orElse("?")
                + ": " + report.dmarc().reason();
        switch (report.action()) {
            case QUARANTINE:
            case REJECT: // the message is already accepted: refusing now would mean a bounce to a forged sender
                return new Outcome(results, report.message(), Disposition.QUARANTINE, reason);
            case DISCARD:
                return new Outcome(results, report.message(), Disposition.DISCARD, reason);
            default:
                return Outcome.passOn(results, report.message());
        }
    }

    static SmtpTransaction transaction(Envelope e) {
        String helo = e.getClient().getHelo() == null ? "" : e.getClient().getHelo();
        return new SmtpTransaction(address(e.getClient().getAddress()), helo, e.getMailFrom().getAddress());
    }

    /** Ingress writes a literal IP address, so this never asks DNS. */
    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("client address is not an IP literal: " + literal, e);
        }
    }

    static List<io.postbus.schemas.DkimResult> dkim(List<DkimResult> results) {
        return results.stream().map(r -> io.postbus.schemas.DkimResult.newBuilder()
                .setVerdict(DkimVerdict.valueOf(r.verdict().name()))
                .setDomain(blankToNull(r.domain()))
                .setSelector(blankToNull(r.selector()))
                .setIdentity(blankToNull(r.identity()))
                .setAlgorithm(blankToNull(r.algorithm()))
                .setReason(blankToNull(r.reason()))
                .build()).collect(Collectors.toList());
    }

    static SpfResult spf(InboundReport report) {
        var v = report.spf().verdict();
        return SpfResult.newBuilder()
                .setVerdict(SpfVerdict.valueOf(v.result().name()))
                .setIdentity(SpfIdentity.valueOf(v.identity().name()))
                .setDomain(v.domain())
                .setReason(v.reason().or(v::explanation).orElse(null))
                .build();
    }

    static DmarcResult dmarc(InboundReport report) {
        var d = report.dmarc();
        var requested = d.policy().map(p -> p.requested()).orElse(io.postbus.auth.dmarc.DmarcPolicy.NONE);
        // "disposition" is what we applied after local policy, in the contract's three words.
        io.postbus.schemas.DmarcPolicy applied = applied(report.action());
        return DmarcResult.newBuilder()
                .setVerdict(DmarcVerdict.valueOf(d.result().name()))
                .setHeaderFrom(d.authorDomain().orElse(""))
                .setPolicy(io.postbus.schemas.DmarcPolicy.valueOf(requested.name()))
                .setDisposition(applied)
                .setRua(d.rua().stream().map(u -> u.toString()).collect(Collectors.toList()))
                .setRuf(d.ruf().stream().map(u -> u.toString()).collect(Collectors.toList()))
                .build();
    }

    static io.postbus.schemas.DmarcPolicy applied(DmarcAction action) {
        switch (action) {
            case DISCARD:
                return io.postbus.schemas.DmarcPolicy.REJECT;
            case QUARANTINE:
            case SPAM_FLAG:
            case REJECT:
                return io.postbus.schemas.DmarcPolicy.QUARANTINE;
            default:
                return io.postbus.schemas.DmarcPolicy.NONE;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
