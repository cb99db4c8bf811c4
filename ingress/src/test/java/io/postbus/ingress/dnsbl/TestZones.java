package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.zone.ZoneFileResolver;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/** The test lists under src/test/resources/dnsbl/, loaded into the real zone-file resolver. */
final class TestZones {
    /** Modelled on a common production set: two strong lists, a filtered one, and an allowlist. */
    static final String SITES = """
            zen.bl.test*3
            barracuda.bl.test=127.0.0.[2..11]*2
            sem.bl.test*2
            dnswl.wl.test=127.0.[0..255].[0..255]*-2
            """;
    static final int THRESHOLD = 3;

    private TestZones() {}

    static ZoneFileResolver resolver() {
        try {
            return ZoneFileResolver.fromDirectory(Path.of(TestZones.class.getResource("/dnsbl").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DnsblPolicy policy() {
        return DnsblPolicy.parse(SITES, THRESHOLD, Duration.ofSeconds(5));
    }

    /** An address literal; never a DNS lookup. */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
