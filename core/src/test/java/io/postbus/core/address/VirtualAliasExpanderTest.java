package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.table.PostmapFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** virtual(5) aliasing as cleanup_map1n.c does it: recursive, self-terminating, bounded. */
class VirtualAliasExpanderTest {

    private static VirtualAliasExpander expander(String virtual, int recursionLimit, int expansionLimit) {
        return new VirtualAliasExpander(new AddressClassifier(AddressingConfig.builder("example.com")
                .mydestination(List.of("example.com"))
                .virtualAliasDomains(List.of("alias.example"))
                .virtualAliasMaps(List.of(PostmapFormat.parse(virtual, "virtual")))
                .recipientDelimiter(RecipientDelimiter.of("+"))
                .virtualAliasRecursionLimit(recursionLimit)
                .virtualAliasExpansionLimit(expansionLimit)
                .build()));
    }

    private static VirtualAliasExpander expander(String virtual) {
        return expander(virtual, 1000, 1000);
    }

    private static List<String> addresses(AliasExpansion e) {
        return e.recipients().stream().map(MailAddress::toString).toList();
    }

    @Test
    void notInTheTableStaysAsItIs() {
        AliasExpansion e = expander("a@alias.example b@example.com\n").expand(MailAddress.parse("c@example.com"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.NOT_ALIASED);
        assertThat(addresses(e)).containsExactly("c@example.com");
        assertThat(e.isError()).isFalse();
    }

    @Test
    void oneToManyAndRecursive() {
        // virtual(5): "Virtual aliasing is recursive".
        AliasExpansion e = expander("""
                team@alias.example ann@example.com, ops@alias.example
                ops@alias.example bob@example.com carol@other.example
                """).expand(MailAddress.parse("team@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.EXPANDED);
        assertThat(addresses(e)).containsExactly("ann@example.com", "bob@example.com", "carol@other.example");
    }

    @Test
    void anAddressAliasedToItselfStaysAndEndsTheRecursion() {
        // virtual(5): "to terminate recursion for a specific address, alias that address to itself".
        AliasExpansion e = expander("joe@example.com joe@example.com, archive@example.com\n")
                .expand(MailAddress.parse("joe@example.com"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.EXPANDED);
        assertThat(addresses(e)).containsExactly("joe@example.com", "archive@example.com");
    }

    @Test
    void selfAliasIsHonouredWhereverItAppearsInTheResult() {
        // Postfix marks the self-alias before expanding the rest, so b → a stops at a.
        AliasExpansion e = expander("""
                a@example.com b@example.com, a@example.com
                b@example.com a@example.com
                """).expand(MailAddress.parse("a@example.com"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.EXPANDED);
        assertThat(addresses(e)).containsExactly("a@example.com");
    }

    @Test
    void resultsAreDeduplicatedIgnoringCaseFirstWins() {
        AliasExpansion e = expander("""
                all@alias.example x@alias.example, y@alias.example, Ann@Example.com
                x@alias.example ann@example.com
                y@alias.example ANN@example.com, bob@example.com
                """).expand(MailAddress.parse("all@alias.example"));
        assertThat(addresses(e)).containsExactly("ann@example.com", "bob@example.com");
    }

    @Test
    void extensionIsPropagatedAndSelfAliasWithExtensionTerminates() {
        // propagate_unmatched_extensions default includes "virtual".
        AliasExpansion e = expander("""
                joe@alias.example joe@example.com
                joe@example.com joe@example.com
                """).expand(MailAddress.parse("joe+news@alias.example"));
        assertThat(addresses(e)).containsExactly("joe+news@example.com");
    }

    @Test
    void catchAllAndAtOtherDomain() {
        AliasExpansion e = expander("@alias.example @example.com\n").expand(MailAddress.parse("Zed@alias.example"));
        assertThat(addresses(e)).containsExactly("Zed@example.com");
    }

    @Test
    void aLoopIsATypedErrorAndTheRecipientIsKept() {
        AliasExpansion e = expander("""
                a@alias.example b@alias.example
                b@alias.example c@alias.example
                c@alias.example a@alias.example
                """).expand(MailAddress.parse("a@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.LOOP);
        assertThat(e.isError()).isTrue();
        assertThat(addresses(e)).containsExactly("a@alias.example");
        assertThat(e.detail()).contains("a@alias.example -> b@alias.example -> c@alias.example -> a@alias.example");
    }

    @Test
    void aLoopOnASideBranchIsStillALoop() {
        AliasExpansion e = expander("""
                a@alias.example ok@example.com, b@alias.example
                b@alias.example c@alias.example
                c@alias.example b@alias.example
                """).expand(MailAddress.parse("a@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.LOOP);
    }

    @Test
    void theSameAddressOnTwoBranchesIsNotALoop() {
        AliasExpansion e = expander("""
                a@alias.example b@alias.example, c@alias.example
                b@alias.example d@alias.example
                c@alias.example d@alias.example
                d@alias.example z@example.com
                """).expand(MailAddress.parse("a@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.EXPANDED);
        assertThat(addresses(e)).containsExactly("z@example.com");
    }

    @Test
    void chainsLongerThanTheRecursionLimitAreTooDeep() {
        // postconf(5) virtual_alias_recursion_limit.
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            table.append("n").append(i).append("@alias.example n").append(i + 1).append("@alias.example\n");
        }
        assertThat(expander(table.toString(), 5, 1000).expand(MailAddress.parse("n0@alias.example")).recipients())
                .extracting(MailAddress::toString).containsExactly("n5@alias.example");
        AliasExpansion e = expander(table.toString(), 4, 1000).expand(MailAddress.parse("n0@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.TOO_DEEP);
        assertThat(addresses(e)).containsExactly("n0@alias.example");
    }

    @Test
    void moreAddressesThanTheExpansionLimitAreTooMany() {
        // postconf(5) virtual_alias_expansion_limit.
        String table = "list@alias.example a@example.com, b@example.com, c@example.com\n";
        assertThat(expander(table, 1000, 3).expand(MailAddress.parse("list@alias.example")).status())
                .isEqualTo(AliasExpansion.Status.EXPANDED);
        AliasExpansion e = expander(table, 1000, 2).expand(MailAddress.parse("list@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.TOO_MANY);
        assertThat(addresses(e)).containsExactly("list@alias.example");
    }

    @Test
    void aLatticeThatDoublesAtEveryLevelIsStoppedByTheExpansionLimit() {
        // l0 -> a0, b0 -> l1 (twice) -> ... : 2^30 paths to one address. Postfix counts duplicates
        // against virtual_alias_expansion_limit too, which is what bounds the work here.
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            table.append("l").append(i).append("@alias.example a").append(i).append("@alias.example, b").append(i).append("@alias.example\n");
            table.append("a").append(i).append("@alias.example l").append(i + 1).append("@alias.example\n");
            table.append("b").append(i).append("@alias.example l").append(i + 1).append("@alias.example\n");
        }
        table.append("l30@alias.example end@example.com\n");
        long started = System.nanoTime();
        AliasExpansion e = expander(table.toString()).expand(MailAddress.parse("l0@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.TOO_MANY);
        assertThat(System.nanoTime() - started).as("stopped early, not after 2^30 steps").isLessThan(10_000_000_000L);
        AliasExpansion small = expander(table.toString(), 1000, 1 << 10).expand(MailAddress.parse("l20@alias.example"));
        assertThat(small.status()).isEqualTo(AliasExpansion.Status.EXPANDED);
        assertThat(addresses(small)).containsExactly("end@example.com");
    }

    @Test
    void nonAddressResultIsATypedError() {
        AliasExpansion e = expander("bad@alias.example ok@example.com, @\n").expand(MailAddress.parse("bad@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.INVALID_RESULT);
        assertThat(e.detail()).contains("non-address result");
    }

    @Test
    void overLongResultIsATypedError() {
        String longUser = "x".repeat(1000);
        AliasExpansion e = expander("big@alias.example " + longUser + "@example.com\n").expand(MailAddress.parse("big@alias.example"));
        assertThat(e.status()).isEqualTo(AliasExpansion.Status.INVALID_RESULT);
        assertThat(e.detail()).contains("virtual_alias_address_length_limit");
    }
}
