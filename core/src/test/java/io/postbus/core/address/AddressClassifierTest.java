package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.table.LookupTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ADDRESS_CLASS_README: the domain lists decide the class, in trivial-rewrite's order. */
class AddressClassifierTest {
    private final AddressClassifier classifier = new AddressClassifier(AddressingConfig.builder("example.com")
            .mydestination(List.of("example.com", "mail.relay.example"))
            .virtualAliasDomains(List.of("alias.example"))
            .virtualAliasMaps(List.of(LookupTable.empty("virtual")))
            .virtualMailboxDomains(List.of("box.example"))
            .relayDomains(List.of(".relay.example", "backup.example"))
            .build());

    @Test
    void eachListGivesItsClass() {
        assertThat(classifier.classify("Example.COM")).isEqualTo(AddressClass.LOCAL);
        assertThat(classifier.classify("alias.example")).isEqualTo(AddressClass.VIRTUAL_ALIAS);
        assertThat(classifier.classify("box.example")).isEqualTo(AddressClass.VIRTUAL_MAILBOX);
        assertThat(classifier.classify("backup.example")).isEqualTo(AddressClass.RELAY);
        assertThat(classifier.classify("a.relay.example")).isEqualTo(AddressClass.RELAY);
        assertThat(classifier.classify("elsewhere.example")).isEqualTo(AddressClass.DEFAULT);
    }

    @Test
    void mydestinationIsTriedBeforeAnOverlappingRelayPattern() {
        // resolve.c tries mydestination first; mail.relay.example is ours though .relay.example is relayed.
        assertThat(classifier.classify("mail.relay.example")).isEqualTo(AddressClass.LOCAL);
    }

    @Test
    void relaySubdomainsOnlyWithParentMatching() {
        assertThat(classifier.classify("sub.backup.example")).isEqualTo(AddressClass.DEFAULT);
        AddressClassifier parent = new AddressClassifier(AddressingConfig.builder("example.com")
                .relayDomains(List.of("backup.example")).relayDomainsMatchSubdomains(true).build());
        assertThat(parent.classify("sub.backup.example")).isEqualTo(AddressClass.RELAY);
    }

    @Test
    void unqualifiedAddressesBelongToMyorigin() {
        assertThat(classifier.classify(MailAddress.parse("joe"))).isEqualTo(AddressClass.LOCAL);
    }

    @Test
    void localForLookupsIsMyoriginOrMydestination() {
        AddressClassifier c = new AddressClassifier(AddressingConfig.builder("origin.example")
                .mydestination(List.of("example.com")).build());
        assertThat(c.isLocalForLookups("origin.example")).isTrue();
        assertThat(c.isLocalForLookups("example.com")).isTrue();
        assertThat(c.isLocalForLookups("other.example")).isFalse();
        assertThat(c.classify("origin.example")).isEqualTo(AddressClass.DEFAULT);
    }
}
