package io.postbus.core.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.bounce.BounceClass;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuppressionListTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void addressesMatchCaseInsensitivelyInBothPartsAndWithoutAngleBrackets() {
        // RFC 5321 §2.4 allows a case-sensitive local part; the list deliberately does not (see key()).
        SuppressionList list = new SuppressionList();
        list.put(SuppressionPolicy.defaults().entry("Bob.Smith@Example.NET", SuppressionReason.MANUAL, T0, null));
        assertThat(list.isSuppressed("bob.smith@example.net", T0)).isTrue();
        assertThat(list.isSuppressed("<BOB.SMITH@EXAMPLE.NET>", T0)).isTrue();
        assertThat(list.isSuppressed("bob.smith2@example.net", T0)).isFalse();
        assertThat(list.find("bob.smith@example.net", T0)).get().extracting(Suppression::address)
                .isEqualTo("bob.smith@example.net");
    }

    @Test
    void anExpiredEntryIsIgnoredAndANewerOneReplacesIt() {
        SuppressionList list = new SuppressionList();
        list.put(new Suppression("a@example.net", SuppressionReason.HARD_BOUNCE, T0, T0.plus(Duration.ofDays(30)), "550 5.1.1"));
        assertThat(list.isSuppressed("a@example.net", T0.plus(Duration.ofDays(29)))).isTrue();
        assertThat(list.isSuppressed("a@example.net", T0.plus(Duration.ofDays(30)))).as("expiresAt is exclusive").isFalse();
        assertThat(list.live(T0.plus(Duration.ofDays(31)))).isEmpty();
        assertThat(list.size()).as("kept until its tombstone").isEqualTo(1);

        list.put(new Suppression("A@example.net", SuppressionReason.MANUAL, T0.plus(Duration.ofDays(31)), null, null));
        assertThat(list.find("a@example.net", T0.plus(Duration.ofDays(400)))).get()
                .extracting(Suppression::reason).isEqualTo(SuppressionReason.MANUAL);
        assertThat(list.size()).isEqualTo(1);
    }

    @Test
    void aTombstoneRemovesTheEntry() {
        SuppressionList list = new SuppressionList();
        list.put(new Suppression("a@example.net", SuppressionReason.MANUAL, T0, null, null));
        list.put(new Suppression("b@example.net", SuppressionReason.MANUAL, T0, null, null));
        list.remove("A@EXAMPLE.NET");
        assertThat(list.isSuppressed("a@example.net", T0)).isFalse();
        assertThat(list.live(T0)).extracting(Suppression::address).containsExactly("b@example.net");
    }

    @Test
    void somethingThatIsNotAnAddressIsNeverSuppressedAndCannotBeAnEntry() {
        SuppressionList list = new SuppressionList();
        assertThat(list.isSuppressed("", T0)).isFalse();
        assertThat(list.isSuppressed("postmaster", T0)).isFalse();
        assertThatThrownBy(() -> Suppression.key("a b@example.net")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Suppression("a@example.net", SuppressionReason.MANUAL, T0, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byDefaultOnlyPermanentBadMailboxAndBadDomainBouncesSuppressForThirtyDays() {
        SuppressionPolicy p = SuppressionPolicy.defaults();
        assertThat(p.forBounce("x@example.net", 550, BounceClass.BAD_MAILBOX, "550 5.1.1 unknown", T0)).get()
                .satisfies(s -> {
                    assertThat(s.reason()).isEqualTo(SuppressionReason.HARD_BOUNCE);
                    assertThat(s.at()).isEqualTo(T0);
                    assertThat(s.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
                    assertThat(s.detail()).isEqualTo("550 5.1.1 unknown");
                });
        assertThat(p.forBounce("x@example.net", 554, BounceClass.BAD_DOMAIN, null, T0)).isPresent();
        // RFC 5321 §4.2.1: 4yz is transient whatever the class says.
        assertThat(p.forBounce("x@example.net", 450, BounceClass.BAD_MAILBOX, null, T0)).isEmpty();
        for (BounceClass c : EnumSet.complementOf(EnumSet.of(BounceClass.BAD_MAILBOX, BounceClass.BAD_DOMAIN))) {
            assertThat(p.forBounce("x@example.net", 550, c, null, T0)).as(c.name()).isEmpty();
        }
    }

    @Test
    void theClassesAndTheExpiryAreConfigurableAndZeroMeansNever() {
        SuppressionPolicy p = new SuppressionPolicy(Set.of(BounceClass.MAILBOX_FULL), Duration.ZERO);
        assertThat(p.forBounce("x@example.net", 552, BounceClass.MAILBOX_FULL, null, T0)).get()
                .extracting(Suppression::expiresAt).isNull();
        assertThat(p.forBounce("x@example.net", 550, BounceClass.BAD_MAILBOX, null, T0)).isEmpty();
        assertThat(new SuppressionPolicy(Set.of(), Duration.ofDays(1)).forBounce("x@example.net", 550,
                BounceClass.BAD_MAILBOX, null, T0)).as("an empty set: bounces never suppress").isEmpty();
        assertThat(SuppressionAction.parse(" Bounce ")).isEqualTo(SuppressionAction.BOUNCE);
    }
}
