package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Postfix domain lists: exact names, .domain for subdomains, parent_domain_matches_subdomains. */
class DomainListTest {

    @Test
    void exactEntriesMatchOnlyThemselvesIgnoringCaseAndTrailingDot() {
        DomainList l = DomainList.of(List.of("Example.COM."), false);
        assertThat(l.matches("example.com")).isTrue();
        assertThat(l.matches("EXAMPLE.com.")).isTrue();
        assertThat(l.matches("mail.example.com")).isFalse();
        assertThat(l.matches("badexample.com")).isFalse();
        assertThat(l.entries()).containsExactly("example.com");
    }

    @Test
    void dotEntriesMatchSubdomainsButNotTheDomainItself() {
        // postconf(5) relay_domains: ".domain.tld" to match subdomains.
        DomainList l = DomainList.of(List.of(".example.com"), false);
        assertThat(l.matches("mail.example.com")).isTrue();
        assertThat(l.matches("a.b.example.com")).isTrue();
        assertThat(l.matches("example.com")).isFalse();
        assertThat(l.matches("notexample.com")).isFalse();
    }

    @Test
    void parentMatchesSubdomainsWhenTheListIsNamedThere() {
        // postconf(5) parent_domain_matches_subdomains: "example.com" matches itself and below.
        DomainList l = DomainList.of(List.of("example.com"), true);
        assertThat(l.matches("example.com")).isTrue();
        assertThat(l.matches("deep.mail.example.com")).isTrue();
        assertThat(l.matches("example.org")).isFalse();
        assertThat(l.matches("fooexample.com")).isFalse();
    }

    @Test
    void addressLiteralsMatchExactly() {
        DomainList l = DomainList.of(List.of("[192.0.2.1]"), false);
        assertThat(l.matches("[192.0.2.1]")).isTrue();
        assertThat(l.matches("[192.0.2.10]")).isFalse();
    }

    @Test
    void badEntriesAreRejected() {
        assertThatThrownBy(() -> DomainList.of(List.of("a b"), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomainList.of(List.of("user@example.com"), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomainList.of(List.of(""), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomainList.of(List.of("a..b"), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
