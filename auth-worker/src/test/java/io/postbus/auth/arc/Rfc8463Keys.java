package io.postbus.auth.arc;

import io.postbus.auth.dkim.DkimKeys;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The RFC 8463 Appendix A keys (an RSA 1024 key, selector "test", and an Ed25519 key, selector
 * "brisbane", both under football.example.com) with their published zone, reused to seal ARC.
 */
final class Rfc8463Keys {
    static final Path DIR = Conformance.DIR.resolve("rfc8463-appendix-a");
    static final String DOMAIN = "football.example.com";

    private Rfc8463Keys() {}

    static ZoneFileResolver dns() throws Exception {
        return ZoneFileResolver.fromString("example.com.", Files.readString(DIR.resolve("dns-records.txt")));
    }

    static ArcSigningKey rsa() throws Exception {
        return new ArcSigningKey(DOMAIN, "test", SigningAlgorithm.RSA_SHA256,
                Conformance.pemPrivateKey(Files.readString(DIR.resolve("rsa-private.pem"))));
    }

    static ArcSigningKey ed25519() throws Exception {
        byte[] seed = Base64.getDecoder().decode(Files.readString(DIR.resolve("ed25519-private-seed.b64")).trim());
        return new ArcSigningKey(DOMAIN, "brisbane", SigningAlgorithm.ED25519_SHA256, DkimKeys.ed25519PrivateKey(seed));
    }

    /** The DKIM-signed Appendix A message, CRLF. */
    static byte[] signedMessage() throws Exception {
        return Conformance.crlf(Files.readString(DIR.resolve("signed.eml")));
    }
}
