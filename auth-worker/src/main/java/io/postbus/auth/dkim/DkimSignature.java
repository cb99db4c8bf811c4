package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A DKIM-Signature header field parsed and checked against RFC 6376 §3.5 and §6.1.1, and RFC 8301.
 * Only a signature that passes every check here is worth a DNS query; everything refused here is a
 * permanent error for the verifier (the same bytes always fail).
 *
 * @param field                  the header field as received (it is hashed with its b= value emptied)
 * @param algorithm              a=; rsa-sha1 and unknown algorithms are refused (RFC 8301 §3.1)
 * @param signature              b=, decoded
 * @param bodyHash               bh=, decoded
 * @param headerCanonicalization first half of c= (default simple)
 * @param bodyCanonicalization   second half of c= (default simple)
 * @param domain                 d=, as written (compare case-insensitively)
 * @param selector               s=, as written
 * @param signedHeaders          h=, names as written, in order, repeats kept
 * @param identity               i= decoded from dkim-quoted-printable, or "@" + d= when absent
 * @param bodyLength             l=, when the signer limited the body hash
 * @param timestamp              t=
 * @param expiration             x= (always later than t=)
 */
public record DkimSignature(HeaderField field, SigningAlgorithm algorithm, byte[] signature, byte[] bodyHash,
                            Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
                            String domain, String selector, List<String> signedHeaders, String identity,
                            OptionalLong bodyLength, Optional<Instant> timestamp, Optional<Instant> expiration) {

    private static final List<String> REQUIRED = List.of("v", "a", "b", "bh", "d", "h", "s");
    /** RFC 6376 §3.5 allows at most 12 digits for t= and x=, 76 for l=; more than a long holds is nonsense anyway. */
    private static final int MAX_TIME_DIGITS = 12;
    private static final int MAX_LENGTH_DIGITS = 18;

    public DkimSignature {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(algorithm, "algorithm");
        signature = signature.clone();
        bodyHash = bodyHash.clone();
        Objects.requireNonNull(headerCanonicalization, "headerCanonicalization");
        Objects.requireNonNull(bodyCanonicalization, "bodyCanonicalization");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        signedHeaders = List.copyOf(signedHeaders);
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(bodyLength, "bodyLength");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(expiration, "expiration");
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] bodyHash() {
        return bodyHash.clone();
    }

    /** The domain part of i= (after its last '@'). */
    public String identityDomain() {
        return identity.substring(identity.lastIndexOf('@') + 1);
    }

    /**
     * Parses and validates a DKIM-Signature field.
     *
     * @throws MalformedTagListException with the reason, for every signature RFC 6376 §6.1.1 or RFC 8301
     *                                   tells a verifier to refuse (a permerror)
     */
    public static DkimSignature parse(HeaderField field) {
        TagList tags = TagList.parse(field.unfoldedValue());
        for (String tag : REQUIRED) {
            if (!tags.has(tag)) {
                throw new MalformedTagListException("signature missing required tag " + tag + "=");
            }
        }
        if (!tags.require("v").equals("1")) {
            throw new MalformedTagListException("incompatible version v=" + tags.require("v"));
        }
        SigningAlgorithm algorithm = algorithm(tags.require("a"));
        byte[] signature = base64(tags.require("b"), "b");
        if (signature.length == 0) {
            throw new MalformedTagListException("signature missing required tag b= (empty)");
        }
        byte[] bodyHash = base64(tags.require("bh"), "bh");
        if (bodyHash.length == 0) {
            throw new MalformedTagListException("signature missing required tag bh= (empty)");
        }
        Canonicalization[] c = canonicalization(tags.get("c").orElse("simple/simple"));
        String domain = tags.require("d");
        requireDomainName(domain, "d");
        String selector = tags.require("s");
        requireDomainName(selector, "s");
        List<String> signedHeaders = headerNames(tags.require("h"));
        String identity = tags.get("i").map(DkimSignature::decodeQuotedPrintable).orElse("@" + domain);
        requireIdentityWithin(identity, domain);
        requireDnsTxtQuery(tags.get("q").orElse("dns/txt"));
        OptionalLong bodyLength = tags.get("l").isPresent()
                ? OptionalLong.of(number(tags.require("l"), "l", MAX_LENGTH_DIGITS)) : OptionalLong.empty();
        Optional<Instant> timestamp = tags.get("t").map(t -> Instant.ofEpochSecond(number(t, "t", MAX_TIME_DIGITS)));
        Optional<Instant> expiration = tags.get("x").map(x -> Instant.ofEpochSecond(number(x, "x", MAX_TIME_DIGITS)));
        if (timestamp.isPresent() && expiration.isPresent() && !expiration.get().isAfter(timestamp.get())) {
            throw new MalformedTagListException("x= is not later than t=");
        }
        return new DkimSignature(field, algorithm, signature, bodyHash, c[0], c[1], domain, selector, signedHeaders,
                identity, bodyLength, timestamp, expiration);
    }

    private static SigningAlgorithm algorithm(String value) {
        String a = TagList.lower(value);
        if (a.equals("rsa-sha1")) {
            // RFC 8301 §3.1: verifiers MUST NOT consider rsa-sha1 signatures valid.
            throw new MalformedTagListException("rsa-sha1 not accepted (RFC 8301)");
        }
        return SigningAlgorithm.fromTag(a)
                .orElseThrow(() -> new MalformedTagListException("unknown signing algorithm a=" + shortened(value)));
    }

    private static Canonicalization[] canonicalization(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            throw new MalformedTagListException("bad canonicalization c=" + shortened(value));
        }
        Canonicalization header = Canonicalization.fromTag(parts[0].trim())
                .orElseThrow(() -> new MalformedTagListException("unknown canonicalization c=" + shortened(value)));
        Canonicalization body = parts.length == 1 ? Canonicalization.SIMPLE : Canonicalization.fromTag(parts[1].trim())
                .orElseThrow(() -> new MalformedTagListException("unknown canonicalization c=" + shortened(value)));
        return new Canonicalization[] {header, body};
    }

    private static List<String> headerNames(String value) {
        List<String> names = new ArrayList<>();
        boolean from = false;
        for (String part : value.split(":", -1)) {
            String name = TagList.withoutWhitespace(part);
            if (name.isEmpty() || !isFieldName(name)) {
                throw new MalformedTagListException("bad header name in h=");
            }
            from |= name.equalsIgnoreCase("from");
            names.add(name);
        }
        if (!from) {
            throw new MalformedTagListException("From field not signed");
        }
        return names;
    }

    /** RFC 5322 ftext: printable US-ASCII except ':'. */
    private static boolean isFieldName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 33 || ch > 126 || ch == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 6376 §3.5 i=: true when the identity has an '@' and its domain (after the last '@') is
     * {@code domain} or a subdomain of it, ignoring case.
     */
    public static boolean identityWithin(String identity, String domain) {
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String idDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        return idDomain.equals(d) || idDomain.endsWith("." + d);
    }

    /** §6.1.1: the domain of i= must be d= or a subdomain of it. */
    private static void requireIdentityWithin(String identity, String domain) {
        if (identity.lastIndexOf('@') < 0) {
            throw new MalformedTagListException("i= has no '@'");
        }
        if (!identityWithin(identity, domain)) {
            throw new MalformedTagListException("domain mismatch: i= is not within d=");
        }
    }

    /** q= lists query methods; dns/txt is the only one defined, and a signer listing none of ours is unusable. */
    private static void requireDnsTxtQuery(String value) {
        for (String method : value.split(":")) {
            if (TagList.lower(TagList.withoutWhitespace(method)).equals("dns/txt")) {
                return;
            }
        }
        throw new MalformedTagListException("unsupported query method q=" + shortened(value));
    }

    /**
     * Labels of letters, digits, '-' and '_' (selectors and DKIM's own names use '_'), or UTF-8 (RFC 8616),
     * separated by single dots. Anything else could not be a DNS name and is refused before any query.
     */
    private static void requireDomainName(String value, String tag) {
        if (value.isEmpty() || value.length() > 253) {
            throw new MalformedTagListException("bad " + tag + "= value");
        }
        for (String label : value.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new MalformedTagListException("bad " + tag + "= value");
            }
            for (int i = 0; i < label.length(); i++) {
                char ch = label.charAt(i);
                boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                        || ch == '-' || ch == '_' || ch >= 0x80;
                if (!ok) {
                    throw new MalformedTagListException("bad " + tag + "= value");
                }
            }
        }
    }

    private static long number(String value, String tag, int maxDigits) {
        if (value.isEmpty() || value.length() > maxDigits) {
            throw new MalformedTagListException("bad " + tag + "= value");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new MalformedTagListException("bad " + tag + "= value");
            }
        }
        return Long.parseLong(value);
    }

    private static byte[] base64(String value, String tag) {
        try {
            return Base64.getDecoder().decode(TagList.withoutWhitespace(value));
        } catch (IllegalArgumentException e) {
            throw new MalformedTagListException(tag + "= is not base64");
        }
    }

    /** dkim-quoted-printable (RFC 6376 §2.11): "=XX" is an octet; FWS is not part of the value. */
    static String decodeQuotedPrintable(String value) {
        String v = TagList.withoutWhitespace(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream(v.length());
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '=') {
                if (i + 2 >= bytes.length || Character.digit(bytes[i + 1], 16) < 0 || Character.digit(bytes[i + 2], 16) < 0) {
                    throw new MalformedTagListException("bad quoted-printable in i=");
                }
                out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String shortened(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "…" : s;
    }
}
