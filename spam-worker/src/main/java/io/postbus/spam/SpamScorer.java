package io.postbus.spam;

import io.postbus.schemas.AuthResults;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.SpamVerdict;

/** The seam the Rspamd-style symbol engine plugs into. */
public interface SpamScorer {

    SpamVerdict score(Envelope envelope, AuthResults auth, byte[] message);

    /** The walking skeleton's scorer: no symbols, score 0, no action. */
    static SpamScorer none(double requiredScore) {
        return (envelope, auth, message) -> SpamVerdict.newBuilder()
                .setScore(0.0)
                .setRequiredScore(requiredScore)
                .setAction(SpamAction.NO_ACTION)
                .build();
    }
}
