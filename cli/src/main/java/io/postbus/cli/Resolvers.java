package io.postbus.cli;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.dnsjava.DnsJavaResolver;
import io.postbus.core.dns.dnsjava.DnsJavaResolverConfig;
import io.postbus.core.dns.dnsjava.DnssecTrust;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Picks the DNS resolver the configuration asks for: zone files (offline) or real DNS. */
final class Resolvers {
    private Resolvers() {}

    static DnsResolver from(PostbusConfig config, Clock clock) {
        var v = config.values();
        if (!v.string("dns.zone.dir").isEmpty()) {
            return ZoneFileResolver.fromDirectory(Path.of(v.string("dns.zone.dir")))
                    .withSignedZones(v.list("dns.zone.signed").toArray(String[]::new));
        }
        DnsJavaResolverConfig dns = DnsJavaResolverConfig.defaults().withTimeout(v.duration("dns.timeout"))
                .withDnssecTrust(DnssecTrust.fromConfigName(v.string("dns.dnssec.trust")).orElseThrow());
        List<String> servers = v.list("dns.servers");
        if (!servers.isEmpty()) {
            dns = dns.withServers(servers.stream().map(Resolvers::server).toList());
        }
        return new DnsJavaResolver(dns, clock);
    }

    private static InetSocketAddress server(String s) {
        int colon = s.lastIndexOf(':');
        boolean hasPort = colon > 0 && s.indexOf(':') == colon; // IPv4 or name with :port
        String host = hasPort ? s.substring(0, colon) : s;
        int port = hasPort ? Integer.parseInt(s.substring(colon + 1)) : 53;
        return new InetSocketAddress(host.replace("[", "").replace("]", ""), port);
    }
}
