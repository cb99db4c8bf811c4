package io.postbus.delivery.shaping;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a site's mail leaves as: the local source addresses (Postfix smtp_bind_address, a PowerMTA
 * virtual-MTA pool) and the HELO name (Postfix smtp_helo_name). Empty means the process default:
 * the kernel's choice of address, the worker's host name.
 *
 * <p>A pool is used by hash of the destination domain, not round-robin: one domain always sees
 * mail from the same address of the pool (receivers keep reputation per IP, and the cached
 * connection to it is reused), while many domains spread over the whole pool. Only addresses of
 * the destination address's family are candidates; with none of that family the socket is not
 * bound, and the kernel picks.
 *
 * @param sourceAddresses the pool, in file order; empty for none
 * @param heloName        the EHLO/HELO name; empty for the worker's
 */
public record SiteEgress(List<InetAddress> sourceAddresses, Optional<String> heloName) {

    public static final SiteEgress NONE = new SiteEgress(List.of(), Optional.empty());

    public SiteEgress {
        sourceAddresses = List.copyOf(sourceAddresses);
        Objects.requireNonNull(heloName, "heloName");
    }

    /**
     * The address to bind for a connection to {@code destination}, for mail to {@code domain}.
     *
     * @param domain the recipient domain (what the pool is spread by); case is ignored
     */
    public Optional<InetAddress> sourceFor(InetAddress destination, String domain) {
        boolean v4 = destination instanceof Inet4Address;
        List<InetAddress> sameFamily = sourceAddresses.stream().filter(a -> (a instanceof Inet4Address) == v4).toList();
        if (sameFamily.isEmpty()) {
            return Optional.empty();
        }
        // String.hashCode is fixed by the JLS: every worker, after every restart, picks the same address.
        int index = Math.floorMod(domain.toLowerCase(Locale.ROOT).hashCode(), sameFamily.size());
        return Optional.of(sameFamily.get(index));
    }

    /** This entry's values, the fallback's where this one has none. */
    SiteEgress orElse(SiteEgress fallback) {
        return new SiteEgress(sourceAddresses.isEmpty() ? fallback.sourceAddresses : sourceAddresses,
                heloName.isPresent() ? heloName : fallback.heloName);
    }
}
