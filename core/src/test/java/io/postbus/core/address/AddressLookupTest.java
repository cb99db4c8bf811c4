package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.table.LookupTable;
import io.postbus.core.table.TableSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** mail_addr_find(3) default strategy: the TABLE SEARCH ORDER of virtual(5) and canonical(5). */
class AddressLookupTest {
    private static final Set<String> LOCAL = Set.of("example.com", "localhost.example.com");
    private final AddressLookup plus = new AddressLookup(RecipientDelimiter.of("+"), LOCAL::contains);

    private static LookupTable table(String name, Map<String, String> entries) {
        return TableSnapshot.of(name, entries);
    }

    @Test
    void searchOrderWithExtensionInALocalDomain() {
        // virtual(5) ADDRESS EXTENSION: user+foo@domain, user@domain, user+foo, user, @domain.
        assertThat(plus.searchOrder(MailAddress.parse("joe+foo@example.com")))
                .containsExactly("joe+foo@example.com", "joe@example.com", "joe+foo", "joe", "@example.com");
    }

    @Test
    void bareLocalPartIsTriedOnlyForLocalDomains() {
        // virtual(5): "user" applies when site is $myorigin, in $mydestination, or an interface address.
        assertThat(plus.searchOrder(MailAddress.parse("joe+foo@elsewhere.example")))
                .containsExactly("joe+foo@elsewhere.example", "joe@elsewhere.example", "@elsewhere.example");
    }

    @Test
    void withoutExtensionTheOrderIsUserAtDomainUserAtDomainOnly() {
        assertThat(plus.searchOrder(MailAddress.parse("joe@example.com")))
                .containsExactly("joe@example.com", "joe", "@example.com");
        assertThat(new AddressLookup(RecipientDelimiter.NONE, LOCAL::contains).searchOrder(MailAddress.parse("joe+foo@example.com")))
                .containsExactly("joe+foo@example.com", "joe+foo", "@example.com");
    }

    @Test
    void unqualifiedAddressMatchesItself() {
        // mail_addr_find(3): "An address that is in the form user matches itself."
        assertThat(plus.searchOrder(MailAddress.parse("joe+foo"))).containsExactly("joe+foo", "joe");
    }

    @Test
    void firstKeyInOrderWinsAndReportsTheCutExtension() {
        LookupTable t = table("virtual", Map.of(
                "joe@example.com", "exact",
                "joe", "local-part",
                "@example.com", "catch-all"));
        AddressLookup.Match m = plus.find(List.of(t), MailAddress.parse("Joe+Foo@Example.com")).orElseThrow();
        assertThat(m.value()).isEqualTo("exact");
        assertThat(m.key()).isEqualTo("Joe@example.com");
        assertThat(m.extension()).contains("+Foo");
        assertThat(m.table()).isEqualTo("virtual");

        AddressLookup.Match full = plus.find(List.of(table("t", Map.of("joe+foo@example.com", "v"))),
                MailAddress.parse("joe+foo@example.com")).orElseThrow();
        assertThat(full.extension()).isEmpty();

        AddressLookup.Match catchAll = plus.find(List.of(table("t", Map.of("@example.com", "v"))),
                MailAddress.parse("nobody+x@example.com")).orElseThrow();
        assertThat(catchAll.key()).isEqualTo("@example.com");
        assertThat(catchAll.extension()).isEmpty();
    }

    @Test
    void localPartKeysDoNotMatchForeignDomains() {
        LookupTable t = table("aliases", Map.of("joe", "local"));
        assertThat(plus.find(List.of(t), MailAddress.parse("joe@example.com"))).isPresent();
        assertThat(plus.find(List.of(t), MailAddress.parse("joe@elsewhere.example"))).isEmpty();
    }

    @Test
    void eachKeyIsTriedInEveryTableBeforeTheNextKey() {
        // maps_find(3) walks the table list for one key; mail_addr_find then moves to the next key.
        LookupTable first = table("first", Map.of("@example.com", "catch-all in first"));
        LookupTable second = table("second", Map.of("joe@example.com", "exact in second"));
        assertThat(plus.find(List.of(first, second), MailAddress.parse("joe@example.com")).orElseThrow().value())
                .isEqualTo("exact in second");
    }

    @Test
    void nothingFound() {
        assertThat(plus.find(List.of(table("t", Map.of("a@b.example", "x"))), MailAddress.parse("c@d.example"))).isEmpty();
        assertThat(plus.find(List.of(), MailAddress.parse("c@d.example"))).isEmpty();
    }
}
