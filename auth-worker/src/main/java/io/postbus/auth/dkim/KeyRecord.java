package io.postbus.auth.dkim;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A DKIM key record (RFC 6376 §3.6.1) as published in TXT at {@code <selector>._domainkey.<domain>}.
 *
 * @param keyType         k= (default rsa)
 * @param hashAlgorithms  h= lower-cased; empty when absent (any hash allowed)
 * @param publicKey       the decoded p=, empty when the key is revoked (empty p=)
 * @param serviceTypes    s= lower-cased ({@code *} when absent)
 * @param testing         t=y: the domain is testing DKIM (RFC 6376 §3.6.1; verifiers must not treat it differently)
 * @param strictIdentity  t=s: i= must have exactly the d= domain, no subdomain (§3.6.1)
 */
public record KeyRecord(KeyType keyType, List<String> hashAlgorithms, Optional<PublicKey> publicKey,
                        Set<String> serviceTypes, boolean testing, boolean strictIdentity) {

    public KeyRecord {
        hashAlgorithms = List.copyOf(hashAlgorithms);
        serviceTypes = Set.copyOf(serviceTypes);
    }

    /**
     * Parses a key record.
     *
     * @throws MalformedTagListException   the tag list or a tag is malformed
     * @throws DkimKeys.InvalidKeyMaterialException p= does not decode to a key of type k=
     */
    public static KeyRecord parse(String txt) throws DkimKeys.InvalidKeyMaterialException {
        TagList tags = TagList.parse(txt);
        Optional<String> v = tags.get("v");
        if (v.isPresent()) {
            if (!v.get().equals("DKIM1")) {
                throw new MalformedTagListException("v= must be DKIM1");
            }
            if (!tags.asMap().keySet().iterator().next().equals("v")) {
                throw new MalformedTagListException("v= must be the first tag");
            }
        }
        KeyType type = KeyType.fromTag(tags.get("k").orElse("rsa"))
                .orElseThrow(() -> new MalformedTagListException("unknown key type k=" + tags.get("k").orElse("")));
        List<String> hashes = colonList(tags.get("h").orElse(""));
        String p = TagList.withoutWhitespace(tags.require("p"));
        Optional<PublicKey> key = Optional.empty();
        if (!p.isEmpty()) {
            byte[] der;
            try {
                der = Base64.getDecoder().decode(p);
            } catch (IllegalArgumentException e) {
                throw new DkimKeys.InvalidKeyMaterialException("p= is not base64");
            }
            key = Optional.of(DkimKeys.publicKey(type, der));
        }
        List<String> services = colonList(tags.get("s").orElse("*"));
        List<String> flags = colonList(tags.get("t").orElse(""));
        return new KeyRecord(type, hashes, key, Set.copyOf(services), flags.contains("y"), flags.contains("s"));
    }

    /** Empty p=: the key was revoked (RFC 6376 §3.6.1). */
    public boolean revoked() {
        return publicKey.isEmpty();
    }

    /** s= allows e-mail: "*" or "email" among the listed service types. */
    public boolean allowsEmail() {
        return serviceTypes.contains("*") || serviceTypes.contains("email");
    }

    /** h= allows SHA-256 (absent h= allows every hash). */
    public boolean allowsSha256() {
        return hashAlgorithms.isEmpty() || hashAlgorithms.contains("sha256");
    }

    private static List<String> colonList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(":")) {
            String t = TagList.withoutWhitespace(part).toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
