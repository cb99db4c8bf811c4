package io.postbus.auth.spf;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** The eight mechanisms of RFC 7208 §5, as parsed. A missing domain-spec means the current domain. */
sealed interface Mechanism {

    /** Whether evaluating it queries DNS and so counts against the limit of §4.6.4. */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip);
    }

    /** §5.1. */
    record All() implements Mechanism {}

    /** §5.2. */
    record Include(MacroString domain) implements Mechanism {
        public Include {
            Objects.requireNonNull(domain, "domain");
        }
    }

    /** §5.3; prefixes from the dual-cidr-length, 32 and 128 when absent. */
    record A(Optional<MacroString> domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
        public A {
            Objects.requireNonNull(domain, "domain");
            checkPrefixes(ip4Prefix, ip6Prefix);
        }
    }

    /** §5.4. */
    record Mx(Optional<MacroString> domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
        public Mx {
            Objects.requireNonNull(domain, "domain");
            checkPrefixes(ip4Prefix, ip6Prefix);
        }
    }

    /** §5.5 (its use is discouraged, but it must still be evaluated). */
    record Ptr(Optional<MacroString> domain) implements Mechanism {
        public Ptr {
            Objects.requireNonNull(domain, "domain");
        }
    }

    /**
     * §5.6, ip4 and ip6 both: a network of 4 or 16 bytes. An ip6 network is 16 bytes even when it
     * is written as an IPv4-mapped address, so it never matches an IPv4 client.
     */
    record Ip(byte[] network, int prefix) implements Mechanism {
        public Ip {
            network = network.clone();
            if ((network.length != 4 && network.length != 16) || prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("bad network: " + network.length + " bytes /" + prefix);
            }
        }

        @Override
        public byte[] network() {
            return network.clone();
        }

        boolean contains(byte[] address) {
            return IpAddresses.sameNetwork(network, address, prefix);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ip other && other.prefix == prefix && Arrays.equals(other.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return "Ip[" + IpAddresses.readable(IpAddresses.byAddress(network)) + "/" + prefix + "]";
        }
    }

    /** §5.7. */
    record Exists(MacroString domain) implements Mechanism {
        public Exists {
            Objects.requireNonNull(domain, "domain");
        }
    }

    private static void checkPrefixes(int ip4Prefix, int ip6Prefix) {
        if (ip4Prefix < 0 || ip4Prefix > 32 || ip6Prefix < 0 || ip6Prefix > 128) {
            throw new IllegalArgumentException("prefix out of range: /" + ip4Prefix + "//" + ip6Prefix);
        }
    }
}
