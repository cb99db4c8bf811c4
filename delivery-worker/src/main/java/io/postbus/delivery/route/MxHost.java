package io.postbus.delivery.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One server to try, with every address it has, in the order to try them.
 *
 * @param name       the MX exchange (or the next hop's host, or the address literal)
 * @param preference the MX preference; 0 for an implicit MX or a host without MX lookup
 * @param addresses  at least one; IPv4 first, then IPv6, each in the order DNS gave them
 * @param port       the port to connect to
 */
public record MxHost(String name, int preference, List<InetAddress> addresses, int port) {

    public MxHost {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("an MX host to try needs an address: " + name);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public List<InetSocketAddress> socketAddresses() {
        return addresses.stream().map(a -> new InetSocketAddress(a, port)).toList();
    }
}
