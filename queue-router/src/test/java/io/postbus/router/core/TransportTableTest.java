package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.address.MailAddress;
import io.postbus.core.address.RecipientDelimiter;
import org.junit.jupiter.api.Test;

/** transport(5) "TABLE SEARCH ORDER". */
class TransportTableTest {
    private final TransportTable table = new TransportTable(Tables.postmap("transport",
            "user+ext@sub.example.com  smtp:[full]:25",
            "joe@sub.example.com       smtp:[stripped]:25",
            "sub.example.com           smtp:[domain]:25",
            ".example.com              smtp:[subdomains]:25",
            "example.com               smtp:[parent]:25",
            "*                         smtp:[wildcard]:25"), RecipientDelimiter.of("+"));

    private String hop(String address) {
        return table.find(MailAddress.parse(address)).orElseThrow().entry().nexthop();
    }

    @Test
    void searchOrderIsAddressStrippedAddressDomainParentsThenWildcard() {
        assertThat(table.searchOrder(MailAddress.parse("user+ext@a.sub.example.com"))).containsExactly(
                "user+ext@a.sub.example.com", "user@a.sub.example.com", "a.sub.example.com", ".sub.example.com",
                ".example.com", ".com", "*");
    }

    @Test
    void theMostSpecificEntryWins() {
        assertThat(hop("user+ext@sub.example.com")).isEqualTo("[full]:25");
        assertThat(hop("joe+x@sub.example.com")).as("user+extension@domain, then user@domain").isEqualTo("[stripped]:25");
        assertThat(hop("other@sub.example.com")).isEqualTo("[domain]:25");
        assertThat(hop("other@deep.sub.example.com")).as(".example.com matches any subdomain").isEqualTo("[subdomains]:25");
        assertThat(hop("other@example.com")).as(".example.com does not match example.com itself").isEqualTo("[parent]:25");
        assertThat(hop("other@example.org")).isEqualTo("[wildcard]:25");
    }

    @Test
    void noTablesNoMatch() {
        TransportTable none = new TransportTable(java.util.List.of(), RecipientDelimiter.NONE);
        assertThat(none.find(MailAddress.parse("a@b.example"))).isEmpty();
        assertThat(none.isEmpty()).isTrue();
    }
}
