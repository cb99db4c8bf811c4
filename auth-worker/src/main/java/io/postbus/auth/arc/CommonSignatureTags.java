package io.postbus.auth.arc;

import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.TagList;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The tags an ARC-Message-Signature and an ARC-Seal share with DKIM-Signature (RFC 8617 §4.1.2 and
 * §4.1.3 import them from RFC 6376 §3.5), read and checked once for both.
 *
 * @param algorithm a=
 * @param signature b=, decoded
 * @param domain    d=
 * @param selector  s=
 */
record CommonSignatureTags(SigningAlgorithm algorithm, byte[] signature, String domain, String selector) {

    /** A tag problem that makes the signature unverifiable: reported as permerror, never thrown out. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a=, b=, d=, s=, t= and x=.
     *
     * @param now for x= (RFC 6376 §3.5: a signature past its expiry must be treated as failed)
     */
    static CommonSignatureTags read(TagList tags, Instant now) throws Invalid {
        String a = required(tags, "a");
        if (TagList.lower(a).equals("rsa-sha1")) {
            throw new Invalid("a=rsa-sha1 is not accepted (RFC 8301 §3.1)");
        }
        SigningAlgorithm algorithm = SigningAlgorithm.fromTag(a)
                .orElseThrow(() -> new Invalid("unsupported algorithm a=" + shortened(a)));
        byte[] signature = base64(required(tags, "b"), "b");
        String domain = required(tags, "d");
        if (!isDomainName(domain)) {
            throw new Invalid("d= is not a domain name: " + shortened(domain));
        }
        String selector = required(tags, "s");
        if (!isDomainName(selector)) {
            throw new Invalid("s= is not a selector: " + shortened(selector));
        }
        Optional<Long> t = timestamp(tags, "t");
        Optional<Long> x = timestamp(tags, "x");
        if (x.isPresent()) {
            if (t.isPresent() && x.get() < t.get()) {
                throw new Invalid("x= is before t= (RFC 6376 §3.5)");
            }
            if (now.getEpochSecond() > x.get()) {
                throw new Invalid("signature expired at x=" + x.get());
            }
        }
        return new CommonSignatureTags(algorithm, signature, domain, selector);
    }

    static String required(TagList tags, String name) throws Invalid {
        Optional<String> v = tags.get(name);
        if (v.isEmpty()) {
            throw new Invalid("missing required tag " + name + "=");
        }
        if (v.get().isEmpty() && !name.equals("h")) {
            throw new Invalid("empty " + name + "=");
        }
        return v.get();
    }

    /** A base64 tag value; FWS inside it is allowed and ignored (RFC 6376 §3.5). */
    static byte[] base64(String value, String tag) throws Invalid {
        String compact = TagList.withoutWhitespace(value);
        if (compact.isEmpty()) {
            throw new Invalid("empty " + tag + "=");
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new Invalid(tag + "= is not base64");
        }
    }

    /** t= and x= are 1*12DIGIT (RFC 6376 §3.5). */
    private static Optional<Long> timestamp(TagList tags, String name) throws Invalid {
        Optional<String> v = tags.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get();
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid(name + "= is not a number of seconds: " + shortened(s));
        }
        return Optional.of(Long.parseLong(s));
    }

    /**
     * Dot-separated labels of letters, digits, '-' and '_' (or UTF-8, RFC 8616), none empty. Anything else
     * could never name a key record, and is refused before DNS is asked.
     */
    static boolean isDomainName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
            for (int k = 0; k < label.length(); k++) {
                char c = label.charAt(k);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c >= 0x80;
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    static String shortened(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
