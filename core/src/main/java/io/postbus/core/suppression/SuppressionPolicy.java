package io.postbus.core.suppression;

import io.postbus.core.bounce.BounceClass;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which permanent failures put an address on the list, and for how long.
 *
 * @param classes bounce classes that suppress. By default only those that say the address itself is
 *     bad (no such mailbox, no such domain): a policy, spam or reputation refusal says something about
 *     us or the message, and suppressing for it would punish the recipient for our problem.
 * @param expiry how long an entry lasts; {@link Duration#ZERO} = until removed. A mailbox that did
 *     not exist may be created later and domains change hands, so by default entries expire.
 */
public record SuppressionPolicy(Set<BounceClass> classes, Duration expiry) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

    public SuppressionPolicy {
        classes = classes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(classes));
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.isNegative()) {
            throw new IllegalArgumentException("expiry must not be negative: " + expiry);
        }
    }

    public static SuppressionPolicy defaults() {
        return new SuppressionPolicy(EnumSet.of(BounceClass.BAD_MAILBOX, BounceClass.BAD_DOMAIN), DEFAULT_EXPIRY);
    }

    /**
     * The entry a bounce makes, if it suppresses. Only a 5xx reply counts (RFC 5321 §4.2.1): a 4xx is
     * transient by definition, whatever its enhanced status or class says.
     */
    public Optional<Suppression> forBounce(String address, int replyCode, BounceClass bounceClass, String detail,
                                           Instant now) {
        if (replyCode < 500 || replyCode > 599 || !classes.contains(bounceClass)) {
            return Optional.empty();
        }
        return Optional.of(entry(address, SuppressionReason.HARD_BOUNCE, now, detail));
    }

    /** An entry with this policy's expiry. */
    public Suppression entry(String address, SuppressionReason reason, Instant now, String detail) {
        return new Suppression(address, reason, now, expiry.isZero() ? null : now.plus(expiry), detail);
    }
}
