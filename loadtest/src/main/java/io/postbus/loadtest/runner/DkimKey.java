package io.postbus.loadtest.runner;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The DKIM key every system under test signs with, so their outputs verify the same way.
 *
 * @param domain         the d= domain; the generator's sender is at this domain
 * @param selector       the s= selector
 * @param privateKeyFile PKCS#8 PEM, as opendkim-genkey and `postbus dkim-keygen` write it
 * @param zoneDir        RFC 1035 zone files publishing the public key, for the sink's verifier
 */
public record DkimKey(String domain, String selector, Path privateKeyFile, Path zoneDir) {
    public DkimKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        Objects.requireNonNull(zoneDir, "zoneDir");
    }
}
