package io.postbus.core.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * The one way Postbus asks DNS anything. Injected everywhere (SPF, DKIM, DMARC, MX routing, DNSBL),
 * so tests and the offline embedded default can answer from zone files.
 *
 * <p>Every lookup returns a {@link DnsResult}: an answer, NXDOMAIN, no data, or a failure. The
 * three non-answers must stay apart: SPF counts void lookups (NXDOMAIN and no data), DMARC turns
 * a timeout into {@code temperror} and never into {@code fail}, and delivery defers on failure but
 * bounces on NXDOMAIN. Implementations never throw for a DNS outcome.
 *
 * <p>Names are absolute (no search list), case-insensitive, with or without the trailing dot. A
 * string that cannot be a domain name (an empty label, a label over 63 octets) names nothing and
 * gets {@link DnsResult.NxDomain} without a query.
 *
 * <p>Implementations are thread-safe and may block; callers on an event loop run them elsewhere.
 */
public interface DnsResolver {

    /** TXT records, each with its character-strings already joined (RFC 7208 §3.3). */
    DnsResult<List<String>> txt(String name);

    /** MX records, in no particular order; callers sort by preference (RFC 5321 §5.1). */
    DnsResult<List<MxRecord>> mx(String name);

    /** IPv4 addresses (A records). */
    DnsResult<List<InetAddress>> a(String name);

    /** IPv6 addresses (AAAA records). */
    DnsResult<List<InetAddress>> aaaa(String name);

    /** Host names for an address (PTR in in-addr.arpa or ip6.arpa), without the trailing dot. */
    DnsResult<List<String>> ptr(InetAddress address);

    /**
     * TLSA records (RFC 6698) at a name such as {@code _25._tcp.mx.example.com}. Only an
     * {@link DnsResult.Answer#authenticated() authenticated} answer may be used for DANE (RFC 7672
     * §2.2). The default, for resolvers that have no TLSA data (test doubles), is no data: DANE then
     * finds no records and falls back as for an unsigned domain.
     */
    default DnsResult<List<TlsaRecord>> tlsa(String name) {
        return new DnsResult.NoData<>(DnsNames.normalize(name));
    }
}
