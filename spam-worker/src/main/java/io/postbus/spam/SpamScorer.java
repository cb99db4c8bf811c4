package io.postbus.spam;

import io.postbus.schemas.AuthResults;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.SpamVerdict;

/** The seam the Rspamd-style symbol engine plugs into. */
public interface SpamScorer {

    SpamVerdict score(Envelope envelope, AuthResults auth, byte[] message);

    /**
     * Until the symbol engine lands: the auth-worker's verdicts as Rspamd names them, so that DMARC's
     * "spam flag" local policy (p=quarantine failures passed on, not held) reaches the mailbox as spam.
     * A DMARC failure whose applied disposition is quarantine scores the required score on its own.
     */
    static SpamScorer authVerdicts(double requiredScore) {
        return (envelope, auth, message) -> {
            java.util.List<io.postbus.schemas.SpamSymbol> symbols = new java.util.ArrayList<>();
            var dmarc = auth == null ? null : auth.getDmarc();
            if (dmarc != null && dmarc.getVerdict() == io.postbus.schemas.DmarcVerdict.FAIL
                    && dmarc.getDisposition() == io.postbus.schemas.DmarcPolicy.QUARANTINE) {
                symbols.add(io.postbus.schemas.SpamSymbol.newBuilder().setName("DMARC_POLICY_QUARANTINE")
                        .setScore(requiredScore).setOptions(java.util.List.of(dmarc.getHeaderFrom())).build());
            }
            double score = symbols.stream().mapToDouble(io.postbus.schemas.SpamSymbol::getScore).sum();
            return SpamVerdict.newBuilder()
                    .setScore(score)
                    .setRequiredScore(requiredScore)
                    .setAction(score >= requiredScore ? SpamAction.ADD_HEADER : SpamAction.NO_ACTION)
                    .setSymbols(symbols)
                    .build();
        };
    }

    /** The walking skeleton's scorer: no symbols, score 0, no action. */
    static SpamScorer none(double requiredScore) {
        return (envelope, auth, message) -> SpamVerdict.newBuilder()
                .setScore(0.0)
                .setRequiredScore(requiredScore)
                .setAction(SpamAction.NO_ACTION)
                .build();
    }
}
