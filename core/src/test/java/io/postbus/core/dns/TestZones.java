package io.postbus.core.dns;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The zone files under {@code src/test/resources/dns}, and the failures the contract expects. */
public final class TestZones {
    private TestZones() {}

    public static Path path(String resource) {
        URL url = TestZones.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url.toString(), e);
        }
    }

    /** {@code dns/zones/*.zone}, with three names that fail on purpose. */
    public static ZoneFileResolver resolver() {
        return ZoneFileResolver.fromDirectory(path("dns/zones"))
                .withFailure("servfail.example.com", Kind.SERVFAIL)
                .withFailure("refused.example.com", Kind.REFUSED)
                .withFailure("timeout.example.com", Kind.TIMEOUT);
    }
}
