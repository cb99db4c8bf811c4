package io.postbus.core.address;

import io.postbus.core.table.LookupTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Virtual alias expansion for the router, after Postfix's cleanup_map1n.c: each address is looked
 * up (virtual(5) search order, {@link AddressMapper}) and replaced by its result, recursively,
 * until no entry matches. An address whose result contains itself is kept and not expanded again
 * (virtual(5): "to terminate recursion for a specific address, alias that address to itself");
 * Postfix marks it before looking at the rest of the result, and so do we. The result is
 * de-duplicated ignoring case, first occurrence first.
 *
 * <p>Postfix gives up with "unreasonable virtual_alias_maps map nesting" when a chain never ends;
 * here a chain that comes back to an address on it is reported as a {@code LOOP} at once, and the
 * recursion limit still bounds chains that are merely long.
 */
public final class VirtualAliasExpander {
    private final List<LookupTable> tables;
    private final AddressMapper mapper;
    private final boolean propagate;
    private final int recursionLimit;
    private final int expansionLimit;
    private final int addressLengthLimit;

    public VirtualAliasExpander(AddressClassifier classifier) {
        AddressingConfig config = classifier.config();
        this.tables = config.virtualAliasMaps();
        this.mapper = new AddressMapper(AddressLookup.of(classifier), config.myorigin());
        this.propagate = config.propagateVirtualExtensions();
        this.recursionLimit = config.virtualAliasRecursionLimit();
        this.expansionLimit = config.virtualAliasExpansionLimit();
        this.addressLengthLimit = config.virtualAliasAddressLengthLimit();
    }

    public AliasExpansion expand(MailAddress recipient) {
        Objects.requireNonNull(recipient, "recipient");
        Run run = new Run();
        try {
            if (!run.visit(recipient, 0)) {
                return new AliasExpansion(AliasExpansion.Status.NOT_ALIASED, List.of(recipient), "");
            }
        } catch (Failure f) {
            return new AliasExpansion(f.status, List.of(recipient), f.getMessage());
        }
        return new AliasExpansion(AliasExpansion.Status.EXPANDED, new ArrayList<>(run.out.values()), "");
    }

    /** One expansion's state. */
    private final class Run {
        private final Set<String> aliasedToItself = new HashSet<>();
        private final Deque<MailAddress> chain = new ArrayDeque<>();
        private final Set<String> onChain = new HashSet<>();
        private final Map<String, MailAddress> out = new LinkedHashMap<>();
        private int emitted;

        /** Expands one address into {@link #out}; false when it has no table entry. */
        boolean visit(MailAddress address, int depth) {
            String key = address.folded();
            if (aliasedToItself.contains(key)) {
                emit(address);
                return true;
            }
            if (onChain.contains(key)) {
                throw new Failure(AliasExpansion.Status.LOOP, "alias loop: " + describeChain(address));
            }
            Optional<AddressMapper.Mapping> found = mapper.map(tables, address, propagate);
            if (found.isEmpty()) {
                emit(address);
                return false;
            }
            if (depth >= recursionLimit) {
                throw new Failure(AliasExpansion.Status.TOO_DEEP,
                        "more than " + recursionLimit + " nested lookups (virtual_alias_recursion_limit) at " + address);
            }
            List<MailAddress> result = checked(found.get(), address);
            for (MailAddress a : result) {
                if (a.folded().equals(key)) {
                    aliasedToItself.add(key);
                }
            }
            chain.push(address);
            onChain.add(key);
            for (MailAddress a : result) {
                if (a.folded().equals(key)) {
                    emit(a);
                } else {
                    visit(a, depth + 1);
                }
            }
            onChain.remove(key);
            chain.pop();
            return true;
        }

        private List<MailAddress> checked(AddressMapper.Mapping mapping, MailAddress address) {
            if (!mapping.notAddresses().isEmpty() || mapping.addresses().isEmpty()) {
                throw new Failure(AliasExpansion.Status.INVALID_RESULT, mapping.match().table() + " lookup of " + address
                        + " returns non-address result \"" + mapping.match().value() + "\"");
            }
            for (MailAddress a : mapping.addresses()) {
                if (a.toString().length() > addressLengthLimit) {
                    throw new Failure(AliasExpansion.Status.INVALID_RESULT, "result for " + address + " longer than "
                            + addressLengthLimit + " characters (virtual_alias_address_length_limit)");
                }
            }
            return mapping.addresses();
        }

        private void emit(MailAddress address) {
            if (++emitted > expansionLimit) {
                throw new Failure(AliasExpansion.Status.TOO_MANY,
                        "more than " + expansionLimit + " addresses (virtual_alias_expansion_limit)");
            }
            out.putIfAbsent(address.folded(), address);
        }

        private String describeChain(MailAddress back) {
            StringBuilder sb = new StringBuilder();
            List<MailAddress> ordered = new ArrayList<>(chain);
            for (int i = ordered.size() - 1; i >= 0; i--) {
                sb.append(ordered.get(i)).append(" -> ");
            }
            return sb.append(back).toString();
        }
    }

    /** Unwinds the recursion; never leaves this class. */
    private static final class Failure extends RuntimeException {
        private final AliasExpansion.Status status;

        Failure(AliasExpansion.Status status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }
}
