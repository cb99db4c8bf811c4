package io.postbus.delivery.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Does a certificate name one of the reference identifiers (RFC 7672 §3.2.3, RFC 6125 §6.4)?
 *
 * <p>Why our own matcher and not the JDK's: the JDK's endpoint identification checks one name (the
 * session's peer host) and only inside a handshake, against the PKIX trust anchors; DANE-TA(2)
 * checks a chain whose anchor came from DNS, against a list of names (the MX host and, per
 * §3.2.2, the next-hop domain). The rules are short: DNS-IDs from subjectAltName, the subject CN
 * only when there are none, case-insensitive, and "*" only as the complete left-most label,
 * matching exactly one label (§3.2.3, RFC 6125 §6.4.3). Internationalised names are compared
 * in their A-label (ASCII) form, as they appear in the certificate and in DNS.
 */
final class ReferenceIdentifiers {
    private static final int DNS_NAME = 2;

    private ReferenceIdentifiers() {}

    /** The reference identifier the certificate names, or null. */
    static String firstMatch(X509Certificate leaf, List<String> referenceNames) {
        List<String> presented = presentedNames(leaf);
        for (String reference : referenceNames) {
            String ref = normalize(reference);
            for (String p : presented) {
                if (matches(normalize(p), ref)) {
                    return reference;
                }
            }
        }
        return null;
    }

    static boolean matches(String presented, String reference) {
        if (presented.isEmpty() || reference.isEmpty()) {
            return false;
        }
        if (presented.startsWith("*.")) {
            String suffix = presented.substring(1); // ".example.com"
            int firstDot = reference.indexOf('.');
            // Exactly one label in place of the "*", and never a wildcard over a bare TLD ("*.com").
            return firstDot > 0 && reference.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
        }
        return presented.indexOf('*') < 0 && presented.equals(reference);
    }

    /** DNS-IDs, else the CN-IDs (RFC 6125 §6.4.4: CN only when there is no DNS-ID). */
    static List<String> presentedNames(X509Certificate leaf) {
        List<String> dnsIds = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String s) {
                        dnsIds.add(s);
                    }
                }
            }
        } catch (CertificateParsingException malformed) {
            return List.of(); // a subjectAltName we cannot read names nothing
        }
        if (!dnsIds.isEmpty()) {
            return dnsIds;
        }
        List<String> cns = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
                    cns.add(cn);
                }
            }
        } catch (InvalidNameException malformed) {
            return List.of();
        }
        return cns;
    }

    private static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
