package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsNames;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Converts between the contract's plain-string names and dnsjava's {@link Name}. */
public final class DnsJavaNames {
    private DnsJavaNames() {}

    /**
     * The absolute name for a caller's string, or empty when the string cannot be a DNS name (an
     * empty label, a label over 63 octets, a name over 255). Always absolute: an MTA must never
     * apply the host's search list, or "example" could silently become "example.corp.local".
     */
    public static Optional<Name> toName(String name) {
        String normalized = DnsNames.normalize(name);
        if (normalized.isEmpty()) {
            return Optional.of(Name.root);
        }
        try {
            return Optional.of(Name.fromString(normalized, Name.root));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    /** The contract's spelling of a name: lower-case, no trailing dot, the root as "". */
    public static String toText(Name name) {
        return DnsNames.normalize(name.toString());
    }
}
