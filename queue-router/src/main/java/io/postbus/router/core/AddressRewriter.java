package io.postbus.router.core;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressLookup;
import io.postbus.core.address.AddressMapper;
import io.postbus.core.address.AliasExpansion;
import io.postbus.core.address.MailAddress;
import io.postbus.core.address.VirtualAliasExpander;
import io.postbus.core.table.LookupTable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The envelope rewriting Postfix's cleanup(8) does before a message is queued, in cleanup_addr.c's
 * order: an unqualified address gets {@code @myorigin} (append_at_myorigin), then the sender goes
 * through sender_canonical_maps and canonical_maps, a recipient through recipient_canonical_maps,
 * canonical_maps and then virtual_alias_maps (virtual(5), one-to-many and recursive).
 *
 * <p>Canonical mapping is one-to-one (canonical(5)), as cleanup_map11.c does it: the result of a
 * lookup is looked up again until an address maps to itself or nothing matches, at most 10 times;
 * of a multi-valued result only the first address counts (Postfix warns "multi-valued entry").
 * Extensions propagate (propagate_unmatched_extensions contains canonical by default). Where Postfix
 * says "message not accepted, try again later" (a nesting without end, a value that is no address,
 * a virtual alias loop or limit), the recipient is deferred with 4.6.0, like Postfix's
 * "4.6.0 Alias expansion error": the table can be fixed and the next attempt succeeds.
 */
final class AddressRewriter {
    /** cleanup_map11.c MAX_RECURSION. */
    static final int CANONICAL_LOOKUP_LIMIT = 10;
    /** RFC 3463 X.6.0, what cleanup uses for every alias and canonical expansion error. */
    static final String EXPANSION_ERROR = AliasExpansion.ENHANCED_STATUS;

    private final String myorigin;
    private final AddressMapper mapper;
    private final VirtualAliasExpander virtualAliases;
    private final List<LookupTable> senderCanonical;
    private final List<LookupTable> recipientCanonical;
    private final List<LookupTable> canonical;

    AddressRewriter(RouterConfig config) {
        AddressClassifier classifier = config.classifier();
        this.myorigin = classifier.config().myorigin();
        this.mapper = new AddressMapper(AddressLookup.of(classifier), myorigin);
        this.virtualAliases = new VirtualAliasExpander(classifier);
        this.senderCanonical = config.senderCanonicalMaps();
        this.recipientCanonical = config.recipientCanonicalMaps();
        this.canonical = config.canonicalMaps();
    }

    /** Rewritten addresses, or the reason they could not be had (then {@code addresses} is empty). */
    record Result(List<MailAddress> addresses, String problem) {
        Result {
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(problem, "problem");
        }

        static Result of(List<MailAddress> addresses) {
            return new Result(addresses, "");
        }

        static Result failed(String problem) {
            return new Result(List.of(), problem);
        }

        boolean failed() {
            return !problem.isEmpty();
        }
    }

    MailAddress qualify(MailAddress address) {
        return address.qualify(myorigin);
    }

    /** sender_canonical_maps, then canonical_maps; at most one address. */
    Result sender(MailAddress sender) {
        return canonical(canonical(Result.of(List.of(qualify(sender))), senderCanonical), canonical);
    }

    /** recipient_canonical_maps, canonical_maps, then virtual alias expansion. */
    Result recipient(MailAddress recipient) {
        Result r = canonical(canonical(Result.of(List.of(qualify(recipient))), recipientCanonical), canonical);
        if (r.failed()) {
            return r;
        }
        AliasExpansion expansion = virtualAliases.expand(r.addresses().get(0));
        if (expansion.isError()) {
            return Result.failed(expansion.detail());
        }
        return Result.of(expansion.recipients());
    }

    /** A recipient that has been rewritten before, re-read; it only needs its domain again. */
    Result asRewritten(MailAddress recipient) {
        return Result.of(List.of(qualify(recipient)));
    }

    private Result canonical(Result in, List<LookupTable> tables) {
        if (in.failed() || tables.isEmpty()) {
            return in;
        }
        MailAddress address = in.addresses().get(0);
        for (int lookups = 0; lookups < CANONICAL_LOOKUP_LIMIT; lookups++) {
            Optional<AddressMapper.Mapping> found = mapper.map(tables, address, true);
            if (found.isEmpty()) {
                return Result.of(List.of(address));
            }
            AddressMapper.Mapping m = found.get();
            if (m.addresses().isEmpty()) {
                return Result.failed(m.match().table() + " lookup of " + address + " returns non-address result \""
                        + m.match().value() + "\"");
            }
            MailAddress next = m.addresses().get(0);
            if (same(next, address)) {
                return Result.of(List.of(next));
            }
            address = next;
        }
        return Result.failed("unreasonable canonical map nesting for " + in.addresses().get(0)
                + " (more than " + CANONICAL_LOOKUP_LIMIT + " lookups)");
    }

    private static boolean same(MailAddress a, MailAddress b) {
        return a.toString().toLowerCase(Locale.ROOT).equals(b.toString().toLowerCase(Locale.ROOT));
    }
}
