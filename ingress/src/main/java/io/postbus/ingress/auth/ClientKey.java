package io.postbus.ingress.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The address a client is counted under by per-client limits: an IPv4 address as it is, an IPv6
 * address as its /64, the block one host or subscriber normally gets (per address, one machine
 * would have 2^64 buckets to rotate through).
 */
public final class ClientKey {
    private ClientKey() {}

    public static InetAddress of(InetAddress client) {
        if (client instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(client.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0); // the /64
            try {
                return InetAddress.getByAddress(prefix);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are always a valid IPv6 address", e);
            }
        }
        return client;
    }
}
