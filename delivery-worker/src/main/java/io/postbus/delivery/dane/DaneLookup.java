package io.postbus.delivery.dane;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.TlsaRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The DNS half of DANE for SMTP (RFC 7672 §2.2): is the next hop's MX RRset secure, are an MX
 * host's address records secure, and what TLSA records are at {@code _<port>._tcp.<host>}.
 * "Secure" is {@link DnsResult#isAuthenticated()}: only the resolver knows whether to believe the
 * AD bit. Pure; blocks while the resolver does.
 */
public final class DaneLookup {

    private final DnsResolver dns;

    public DaneLookup(DnsResolver dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * RFC 7672 §2.2.1: the MX host names are only trustworthy (usable as TLSA base domains and
     * reference identifiers) when the MX RRset validated. A domain without MX records (implicit MX)
     * gets false: authenticated denial is not modelled by {@code DnsResult}, so its names are
     * treated as insecure.
     */
    public boolean mxSecure(String domain) {
        return dns.mx(domain).isAuthenticated();
    }

    /**
     * What DANE says for one host.
     *
     * @param host           the MX host name (or the next hop's host when there is no MX lookup)
     * @param port           the port connected to: the TLSA name is {@code _port._tcp.host} (RFC 6698 §3)
     * @param hostNameSecure whether the host name itself came from validated data (a secure MX
     *                       RRset, or the configuration)
     * @param referenceNames the names a DANE-TA(2) certificate may carry (RFC 7672 §3.2.2)
     */
    public HostDane host(String host, int port, boolean hostNameSecure, List<String> referenceNames) {
        if (!hostNameSecure) {
            return new HostDane.NotApplicable("MX RRset not DNSSEC-validated");
        }
        // RFC 7672 §2.2.2: TLSA records are sought only for a host whose address records validated.
        List<DnsResult<List<InetAddress>>> addresses = List.of(dns.a(host), dns.aaaa(host));
        List<DnsResult<List<InetAddress>>> answers = new ArrayList<>();
        for (DnsResult<List<InetAddress>> r : addresses) {
            if (r instanceof DnsResult.Answer) {
                answers.add(r);
            }
        }
        if (answers.isEmpty() || !answers.stream().allMatch(DnsResult::isAuthenticated)) {
            return new HostDane.NotApplicable("address records of " + host + " not DNSSEC-validated");
        }
        String name = "_" + port + "._tcp." + host;
        DnsResult<List<TlsaRecord>> tlsa = dns.tlsa(name);
        if (tlsa instanceof DnsResult.Failure<List<TlsaRecord>> f) {
            return new HostDane.LookupFailed("TLSA lookup for " + name + " failed: " + f.kind()
                    + (f.detail() == null ? "" : " " + f.detail().replaceAll("\\p{Cntrl}", " ")));
        }
        if (!(tlsa instanceof DnsResult.Answer<List<TlsaRecord>> answer)) {
            return new HostDane.NotApplicable("no TLSA records at " + name);
        }
        if (!answer.authenticated()) {
            return new HostDane.NotApplicable("TLSA RRset at " + name + " not DNSSEC-validated");
        }
        List<UsableTlsa> usable = UsableTlsa.usable(answer.value());
        if (usable.isEmpty()) {
            return new HostDane.Unusable(name, answer.value());
        }
        return new HostDane.Authenticate(new DaneTrust(name, usable, referenceNames));
    }
}
