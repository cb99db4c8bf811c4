package io.postbus.auth.spf;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The domain-name checks check_host() makes before it asks DNS anything. */
final class SpfDomains {
    private SpfDomains() {}

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?");
    /** RFC 7208 §7.1 toplabel: letters, digits and inner hyphens, not all-numeric. */
    private static final Pattern TOPLABEL = Pattern.compile(
            "[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    /**
     * The &lt;domain&gt; check_host() starts from, lower case without the trailing dot, or empty when
     * RFC 7208 §4.3 says the result is "none": a malformed name (empty or over-long label) or one
     * that "is not a multi-label domain name". Also refused: address literals and characters a host
     * name cannot have. A U-label domain (SMTPUTF8) is checked in its A-label form (RFC 8616 §4).
     */
    static Optional<String> forCheckHost(String domain) {
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (!name.chars().allMatch(c -> c < 0x80)) {
            try {
                name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (name.length() > MAX_NAME) {
            return Optional.empty();
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (label.length() > MAX_LABEL || !LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (!isToplabel(labels[labels.length - 1])) {
            return Optional.empty();
        }
        return Optional.of(name.toLowerCase(Locale.ROOT));
    }

    static boolean isToplabel(String label) {
        return TOPLABEL.matcher(label).matches();
    }

    /**
     * Whether DNS can be asked about an expanded target name: no empty label, none over 63 octets,
     * at most 253 in all. Macros can expand to anything, so other characters are left to DNS.
     */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive "name is target or a subdomain of it" (RFC 7208 §5.5, §7.3 for "p"). */
    static boolean isSameOrSubdomain(String name, String target) {
        String n = name.toLowerCase(Locale.ROOT);
        String t = target.toLowerCase(Locale.ROOT);
        return n.equals(t) || n.endsWith("." + t);
    }
}
