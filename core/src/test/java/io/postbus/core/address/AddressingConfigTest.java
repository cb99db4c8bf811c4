package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.config.ConfigException;
import io.postbus.core.table.LookupTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration is checked whole at construction; every problem is listed at once. */
class AddressingConfigTest {

    @Test
    void aDomainInTwoClassesIsAnErrorAndEveryConflictIsListed() {
        // virtual(5): "Do not specify virtual alias domain names in the main.cf mydestination or
        // relay_domains configuration parameters."; one domain, one address class.
        assertThatThrownBy(() -> AddressingConfig.builder("example.com")
                .mydestination(List.of("example.com", "a.example"))
                .virtualAliasDomains(List.of("A.example."))
                .virtualAliasMaps(List.of(LookupTable.empty("virtual")))
                .virtualMailboxDomains(List.of("b.example"))
                .relayDomains(List.of("b.example", "example.com", ".c.example"))
                .build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "domain a.example is listed in both mydestination and virtual_alias_domains; a domain belongs to one address class",
                        "domain b.example is listed in both virtual_mailbox_domains and relay_domains; a domain belongs to one address class",
                        "domain example.com is listed in both mydestination and relay_domains; a domain belongs to one address class"));
    }

    @Test
    void overlappingSubdomainPatternsAreNotConflicts() {
        AddressingConfig c = AddressingConfig.builder("example.com")
                .mydestination(List.of("mail.example.com"))
                .relayDomains(List.of(".example.com"))
                .build();
        assertThat(c.relayDomains()).containsExactly(".example.com");
    }

    @Test
    void badNamesAndLimitsAreAllReported() {
        assertThatThrownBy(() -> AddressingConfig.builder("not a domain")
                .mydestination(List.of("user@example.com"))
                .virtualAliasDomains(List.of("v.example"))
                .virtualAliasRecursionLimit(0)
                .virtualAliasExpansionLimit(-1)
                .build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anyMatch(p -> p.startsWith("myorigin:"))
                        .anyMatch(p -> p.startsWith("mydestination:"))
                        .anyMatch(p -> p.contains("virtual_alias_maps is empty"))
                        .anyMatch(p -> p.startsWith("virtual_alias_recursion_limit"))
                        .anyMatch(p -> p.startsWith("virtual_alias_expansion_limit")));
    }

    @Test
    void defaultsAreEmptyListsAndPostfixLimits() {
        AddressingConfig c = AddressingConfig.builder("Example.COM.").build();
        assertThat(c.myorigin()).isEqualTo("example.com");
        assertThat(c.mydestination()).isEmpty();
        assertThat(c.localRecipientMaps()).isEmpty();
        assertThat(c.recipientDelimiter()).isEqualTo(RecipientDelimiter.NONE);
        assertThat(c.propagateVirtualExtensions()).isTrue();
        assertThat(c.relayDomainsMatchSubdomains()).isFalse();
        // postconf(5): virtual_alias_recursion_limit, _expansion_limit, _address_length_limit = 1000.
        assertThat(List.of(c.virtualAliasRecursionLimit(), c.virtualAliasExpansionLimit(), c.virtualAliasAddressLengthLimit()))
                .containsOnly(1000);
    }
}
