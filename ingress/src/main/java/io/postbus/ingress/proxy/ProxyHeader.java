package io.postbus.ingress.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded PROXY protocol header.
 *
 * <p>{@code source} and {@code destination} are the original client and server endpoints. They are
 * null for LOCAL (a health check by the proxy itself), for UNKNOWN/AF_UNSPEC and for AF_UNIX: the
 * spec (§2.1, §2.2) then says to use the real connection's endpoints. Use {@link #clientOr}.
 * An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) comes out as the plain IPv4 address, so it
 * matches IPv4 CIDR blocks.
 *
 * <p>{@code tlvs} (version 2 only) are in wire order, NOOP padding included; a PP2_TYPE_CRC32C among
 * them has been verified by the parser.
 */
public record ProxyHeader(int version, Command command, Family family, InetSocketAddress source,
                          InetSocketAddress destination, List<ProxyTlv> tlvs) {

    /** §2.2, 13th byte, low nibble. A version 1 header is always PROXY. */
    public enum Command {
        /** The proxy opened the connection itself (health check): use the real endpoints. */
        LOCAL,
        /** Relayed on behalf of a client whose endpoints the header carries. */
        PROXY
    }

    /** §2.1 protocol token and §2.2 14th byte (address family and transport protocol). */
    public enum Family {
        /** v1 "UNKNOWN"; v2 AF_UNSPEC or protocol UNSPEC: addresses are ignored. */
        UNKNOWN(false),
        TCP4(true),
        TCP6(true),
        /** v2 only (0x12). */
        UDP4(true),
        /** v2 only (0x22). */
        UDP6(true),
        /** v2 only (0x31); the 108-byte socket paths are not exposed. */
        UNIX_STREAM(false),
        /** v2 only (0x32). */
        UNIX_DGRAM(false);

        private final boolean inet;

        Family(boolean inet) {
            this.inet = inet;
        }

        /** Whether a PROXY header of this family carries IP addresses and ports. */
        public boolean carriesInetAddresses() {
            return inet;
        }
    }

    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(family, "family");
        tlvs = List.copyOf(tlvs);
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("PROXY protocol version must be 1 or 2: " + version);
        }
        if ((source == null) != (destination == null)) {
            throw new IllegalArgumentException("source and destination must both be present or both absent");
        }
        boolean addressed = command == Command.PROXY && family.carriesInetAddresses();
        if (addressed != (source != null)) {
            throw new IllegalArgumentException("addresses are present exactly for PROXY over TCP/UDP, not " + command + " " + family);
        }
        if (version == 1 && (command != Command.PROXY || !(family == Family.TCP4 || family == Family.TCP6 || family == Family.UNKNOWN))) {
            throw new IllegalArgumentException("version 1 carries only PROXY TCP4, TCP6 or UNKNOWN");
        }
        if (version == 1 && !tlvs.isEmpty()) {
            throw new IllegalArgumentException("version 1 has no TLVs");
        }
        for (ProxyTlv t : tlvs) {
            String problem = Tlvs.problem(t);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /** Whether the header names the real client; false means keep the socket's own addresses. */
    public boolean hasClientAddress() {
        return source != null;
    }

    /** The original client endpoint, or {@code connectionPeer} when the header does not name one. */
    public InetSocketAddress clientOr(InetSocketAddress connectionPeer) {
        return source != null ? source : connectionPeer;
    }

    /** The original server endpoint, or {@code connectionLocal} when the header does not name one. */
    public InetSocketAddress serverOr(InetSocketAddress connectionLocal) {
        return destination != null ? destination : connectionLocal;
    }

    /** The first TLV of this type. */
    public Optional<ProxyTlv> tlv(int type) {
        return tlvs.stream().filter(t -> t.type() == type).findFirst();
    }

    /** PP2_TYPE_AUTHORITY (§2.2.2): the host name the client asked for, e.g. its TLS SNI. */
    public Optional<String> authority() {
        return tlv(ProxyTlv.PP2_TYPE_AUTHORITY).map(t -> Tlvs.cleanText(t.value()));
    }

    /** PP2_TYPE_UNIQUE_ID (§2.2.5): the proxy's opaque id for the connection, for log correlation. */
    public Optional<byte[]> uniqueId() {
        return tlv(ProxyTlv.PP2_TYPE_UNIQUE_ID).map(ProxyTlv::value);
    }

    /** PP2_TYPE_ALPN (§2.2.1). */
    public Optional<byte[]> alpn() {
        return tlv(ProxyTlv.PP2_TYPE_ALPN).map(ProxyTlv::value);
    }

    /** PP2_TYPE_SSL (§2.2.6): what the proxy knows about TLS on the client connection. */
    public Optional<ProxySslInfo> ssl() {
        return tlv(ProxyTlv.PP2_TYPE_SSL).map(t -> ProxySslInfo.decode(t.value()));
    }

    /** Whether the header carried a PP2_TYPE_CRC32C (which the parser verified). */
    public boolean checksummed() {
        return tlv(ProxyTlv.PP2_TYPE_CRC32C).isPresent();
    }
}
