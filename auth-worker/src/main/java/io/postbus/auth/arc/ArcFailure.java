package io.postbus.auth.arc;

import java.util.Objects;

/**
 * Why a chain did not validate.
 *
 * @param step      where the RFC 8617 §5.2 algorithm stopped
 * @param instance  the ARC Set concerned, 0 when the failure is about the chain as a whole
 * @param reason    a short human explanation
 * @param temporary true when the cause was a DNS failure, so validating again later may pass; false for
 *                  everything the message itself decides
 */
public record ArcFailure(ValidationStep step, int instance, String reason, boolean temporary) {

    public ArcFailure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        if (instance < 0) {
            throw new IllegalArgumentException("instance must not be negative");
        }
    }
}
