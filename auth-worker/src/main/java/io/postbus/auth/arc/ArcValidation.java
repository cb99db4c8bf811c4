package io.postbus.auth.arc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The result of validating a message's Authenticated Received Chain (RFC 8617 §5.2).
 *
 * <p>DNS failures: RFC 8617 knows only none, pass and fail. A chain whose keys could not be fetched is
 * reported as {@link ChainValidationStatus#FAIL} (it was not shown to be valid, and §5.2 says such a
 * chain is treated as absent), with {@link ArcFailure#temporary()} set so that the caller can tell it
 * apart from a broken chain: report {@code arc=temperror}, defer, and above all not seal {@code cv=fail}
 * into the chain for a passing outage ({@link ArcSealer} refuses to). For comparison, Stalwart's
 * mail-auth returns {@code TempError} for the chain and would then seal {@code cv=fail}; dkimpy lets the
 * resolver's exception escape to its caller.
 *
 * @param status          the Chain Validation Status
 * @param instances       N, the highest ARC instance that could be read (0 for none, and for a failed
 *                        chain whose instances are all unreadable)
 * @param oldestPass      RFC 8617 §5.2 step 5 ({@code header.oldest-pass}): 0 when every AMS validates,
 *                        else the lowest instance from which all newer AMSs validate; present only when
 *                        step 5 was reached (the newest AMS validated)
 * @param instanceResults one entry per set 1..N when the chain's structure was sound, else empty
 * @param failure         why the status is FAIL; present exactly then
 */
public record ArcValidation(ChainValidationStatus status, int instances, OptionalInt oldestPass,
                            List<InstanceResult> instanceResults, Optional<ArcFailure> failure) {

    public ArcValidation {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(oldestPass, "oldestPass");
        instanceResults = List.copyOf(instanceResults);
        Objects.requireNonNull(failure, "failure");
        if ((status == ChainValidationStatus.FAIL) != failure.isPresent()) {
            throw new IllegalArgumentException("a failure reason goes with status FAIL and only with it");
        }
        if (status == ChainValidationStatus.NONE && instances != 0) {
            throw new IllegalArgumentException("status NONE means no ARC Sets");
        }
        if (status == ChainValidationStatus.PASS && instances == 0) {
            throw new IllegalArgumentException("status PASS needs at least one ARC Set");
        }
        if (instances < 0) {
            throw new IllegalArgumentException("instances must not be negative");
        }
        if (oldestPass.isPresent() && (oldestPass.getAsInt() < 0 || oldestPass.getAsInt() > instances)) {
            throw new IllegalArgumentException("oldest-pass out of 0.." + instances);
        }
    }

    /** A message without ARC header fields. */
    public static ArcValidation none() {
        return new ArcValidation(ChainValidationStatus.NONE, 0, OptionalInt.empty(), List.of(), Optional.empty());
    }

    /** True when the chain failed only because DNS did not answer: try again later rather than trust "fail". */
    public boolean temporaryFailure() {
        return failure.map(ArcFailure::temporary).orElse(false);
    }
}
