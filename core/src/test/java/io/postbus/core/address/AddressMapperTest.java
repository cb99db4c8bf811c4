package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.table.LookupTable;
import io.postbus.core.table.TableSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** mail_addr_map(3) result rewriting, as virtual(5) RESULT ADDRESS REWRITING describes it. */
class AddressMapperTest {
    private final AddressMapper mapper = new AddressMapper(
            new AddressLookup(RecipientDelimiter.of("+"), Set.of("example.com")::contains), "example.com");

    private List<String> map(Map<String, String> entries, String address, boolean propagate) {
        List<LookupTable> tables = List.of(TableSnapshot.of("virtual", entries));
        return mapper.map(tables, MailAddress.parse(address), propagate).orElseThrow()
                .addresses().stream().map(MailAddress::toString).toList();
    }

    @Test
    void atOtherDomainKeepsTheUser() {
        // virtual(5): a result @otherdomain becomes the same user in otherdomain.
        assertThat(map(Map.of("@old.example", "@new.example"), "Joe@old.example", true)).containsExactly("Joe@new.example");
    }

    @Test
    void atOtherDomainWorksOnlyForTheFirstAddress() {
        assertThat(map(Map.of("@old.example", "@new.example, audit@example.com"), "joe@old.example", true))
                .containsExactly("joe@new.example", "audit@example.com");
    }

    @Test
    void atOtherDomainDropsACutExtensionThenPropagationAddsItBack() {
        // mail_addr_map.c: "Prepend the original user to @otherdomain, but do not propagate the
        // unmatched address extension" there; crunch then appends it once.
        assertThat(map(Map.of("joe@old.example", "@new.example"), "joe+x@old.example", true))
                .containsExactly("joe+x@new.example");
        assertThat(map(Map.of("joe@old.example", "@new.example"), "joe+x@old.example", false))
                .containsExactly("joe@new.example");
    }

    @Test
    void unmatchedExtensionIsPropagatedToEveryResult() {
        // propagate_unmatched_extensions (default canonical, virtual).
        assertThat(map(Map.of("team@example.com", "a@x.example, b@y.example"), "team+urgent@example.com", true))
                .containsExactly("a+urgent@x.example", "b+urgent@y.example");
        assertThat(map(Map.of("team@example.com", "a@x.example"), "team+urgent@example.com", false))
                .containsExactly("a@x.example");
    }

    @Test
    void matchedExtensionIsNotPropagated() {
        assertThat(map(Map.of("team+urgent@example.com", "pager@x.example"), "team+urgent@example.com", true))
                .containsExactly("pager@x.example");
    }

    @Test
    void catchAllKeepsTheExtensionInTheUserNotAsPropagation() {
        assertThat(map(Map.of("@example.com", "@example.net"), "joe+x@example.com", true)).containsExactly("joe+x@example.net");
    }

    @Test
    void resultsWithoutDomainGetMyorigin() {
        // virtual(5): append_at_myorigin=yes appends @$myorigin to addresses without @domain.
        assertThat(map(Map.of("joe@old.example", "joe.smith, ann"), "joe@old.example", true))
                .containsExactly("joe.smith@example.com", "ann@example.com");
    }

    @Test
    void propagationGoesInsideTheQuotesOfAQuotedLocalPart() {
        assertThat(map(Map.of("joe@example.com", "\"j s\"@x.example"), "joe+a@example.com", true))
                .containsExactly("\"j s+a\"@x.example");
    }

    @Test
    void tokensThatAreNotAddressesAreReportedNotDropped() {
        AddressMapper.Mapping m = mapper.map(List.of(TableSnapshot.of("v", Map.of("joe@example.com", "ok@x.example, @"))),
                MailAddress.parse("joe@example.com"), true).orElseThrow();
        assertThat(m.addresses()).extracting(MailAddress::toString).containsExactly("ok@x.example");
        assertThat(m.notAddresses()).containsExactly("@");
    }

    @Test
    void noEntryNoMapping() {
        assertThat(mapper.map(List.of(TableSnapshot.of("v", Map.of("a@b.example", "c"))), MailAddress.parse("x@y.example"), true))
                .isEmpty();
    }
}
