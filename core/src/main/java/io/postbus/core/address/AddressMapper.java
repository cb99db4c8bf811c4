package io.postbus.core.address;

import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ValueList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Postfix's mail_addr_map(3): one lookup in {@link AddressLookup}'s search order, then the result
 * rewritten as virtual(5) and canonical(5) describe it:
 * <ul>
 *   <li>a result {@code @otherdomain} becomes the original user in otherdomain (only for the first
 *       address of a list, as in Postfix);</li>
 *   <li>the result is split into addresses ("address, address, ...");</li>
 *   <li>an address without a domain gets {@code @myorigin} (append_at_myorigin);</li>
 *   <li>with propagation on (propagate_unmatched_extensions), an extension that had to be cut off
 *       to find the key is added to every result address: {@code user+foo@a} matched by
 *       {@code user@a → joe@b} gives {@code joe+foo@b}.</li>
 * </ul>
 */
public final class AddressMapper {
    private final AddressLookup lookup;
    private final String myorigin;

    public AddressMapper(AddressLookup lookup, String myorigin) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.myorigin = Objects.requireNonNull(myorigin, "myorigin");
    }

    /**
     * A lookup result turned into addresses.
     *
     * @param notAddresses tokens of the table value that are not addresses (Postfix: "lookup of ...
     *     returns non-address result"); the caller decides, the expander treats any as an error
     */
    public record Mapping(AddressLookup.Match match, List<MailAddress> addresses, List<String> notAddresses) {
        public Mapping {
            Objects.requireNonNull(match, "match");
            addresses = List.copyOf(addresses);
            notAddresses = List.copyOf(notAddresses);
        }
    }

    public Optional<Mapping> map(List<LookupTable> tables, MailAddress address, boolean propagateExtension) {
        Optional<AddressLookup.Match> found = lookup.find(tables, address);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AddressLookup.Match match = found.get();
        String value = match.value();
        if (value.startsWith("@")) {
            String user = address.localPart();
            if (match.extension().isPresent()) {
                user = user.substring(0, user.length() - match.extension().get().length());
            }
            value = user + value;
        }
        String extension = propagateExtension ? match.extension().orElse(null) : null;
        List<MailAddress> addresses = new ArrayList<>();
        List<String> notAddresses = new ArrayList<>();
        for (String token : ValueList.split(value)) {
            try {
                MailAddress a = MailAddress.parse(token).qualify(myorigin);
                addresses.add(extension == null ? a : a.withLocalPart(withExtension(a.localPart(), extension)));
            } catch (IllegalArgumentException e) {
                notAddresses.add(token);
            }
        }
        return Optional.of(new Mapping(match, addresses, notAddresses));
    }

    /** Appends the extension to a local part, inside the quotes of a quoted one ("a b" → "a b+ext"). */
    static String withExtension(String localPart, String extension) {
        if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
            return localPart.substring(0, localPart.length() - 1) + extension + "\"";
        }
        return localPart + extension;
    }
}
