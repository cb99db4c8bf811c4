package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Address extensions as Postfix's split_addr(3) cuts them (postconf(5) recipient_delimiter). */
class RecipientDelimiterTest {

    @Test
    void splitsAtTheFirstDelimiterAndKeepsItInTheExtension() {
        RecipientDelimiter d = RecipientDelimiter.of("+");
        assertThat(d.split("joe+lists+2024")).hasValueSatisfying(s -> {
            assertThat(s.base()).isEqualTo("joe");
            assertThat(s.extension()).isEqualTo("+lists+2024");
        });
        assertThat(d.split("joe")).isEmpty();
    }

    @Test
    void severalDelimitersAnyOneStartsTheExtension() {
        // postconf(5): recipient_delimiter = +- (Postfix 2.11 and later: a set of characters).
        RecipientDelimiter d = RecipientDelimiter.of("+-");
        assertThat(d.split("joe-news")).hasValueSatisfying(s -> assertThat(s.extension()).isEqualTo("-news"));
        assertThat(d.split("joe+a-b")).hasValueSatisfying(s -> assertThat(s.extension()).isEqualTo("+a-b"));
    }

    @Test
    void neverLeavesAnEmptyUserName() {
        assertThat(RecipientDelimiter.of("+").split("+joe")).isEmpty();
    }

    @Test
    void postmasterMailerDaemonAndDoubleBounceAreNeverSplit() {
        RecipientDelimiter d = RecipientDelimiter.of("-");
        assertThat(d.split("MAILER-DAEMON")).isEmpty();
        assertThat(d.split("double-bounce")).isEmpty();
    }

    @Test
    void ownerAndRequestAddressesAreNotSplitWhenDashIsADelimiter() {
        // postconf(5) owner_request_special (default yes).
        RecipientDelimiter d = RecipientDelimiter.of("-");
        assertThat(d.split("owner-list")).isEmpty();
        assertThat(d.split("list-request")).isEmpty();
        assertThat(new RecipientDelimiter("-", false).split("owner-list"))
                .hasValueSatisfying(s -> assertThat(s.base()).isEqualTo("owner"));
        // With '+' only, owner-list has no delimiter at all; owner+x is an ordinary split.
        assertThat(RecipientDelimiter.of("+").split("owner+x")).isPresent();
    }

    @Test
    void noDelimiterNoSplit() {
        assertThat(RecipientDelimiter.NONE.split("joe+x")).isEmpty();
    }

    @Test
    void unusableDelimitersAreRejected() {
        assertThatThrownBy(() -> RecipientDelimiter.of("@")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecipientDelimiter.of("+ ")).isInstanceOf(IllegalArgumentException.class);
    }
}
