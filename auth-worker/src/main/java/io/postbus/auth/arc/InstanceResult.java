package io.postbus.auth.arc;

import java.util.Objects;

/**
 * What the validator found for one ARC Set.
 *
 * @param instance         the set's i=
 * @param messageSignature the ARC-Message-Signature check (only N is required by RFC 8617 §5.2 step 4;
 *                         older ones are checked for oldest-pass, step 5)
 * @param seal             the ARC-Seal check (§5.2 step 6)
 * @param resultsPayload   the set's ARC-Authentication-Results payload (authserv-id and results)
 */
public record InstanceResult(int instance, SignatureCheck messageSignature, SignatureCheck seal, String resultsPayload) {

    public InstanceResult {
        if (instance < 1 || instance > ArcChain.MAX_INSTANCE) {
            throw new IllegalArgumentException("instance out of range: " + instance);
        }
        Objects.requireNonNull(messageSignature, "messageSignature");
        Objects.requireNonNull(seal, "seal");
        Objects.requireNonNull(resultsPayload, "resultsPayload");
    }
}
