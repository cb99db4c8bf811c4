package io.postbus.core.address;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Postfix domain list (mydestination, relay_domains, ...): an entry matches that domain exactly;
 * an entry {@code .example.com} matches every subdomain of example.com; and when the list is named
 * in parent_domain_matches_subdomains, {@code example.com} also matches its subdomains. Matching
 * walks the labels of the name, so it costs the same for ten entries or a hundred thousand.
 */
public final class DomainList {
    private final Set<String> exact = new HashSet<>();
    private final Set<String> dotted = new HashSet<>();
    private final boolean parentMatchesSubdomains;
    private final List<String> entries;

    private DomainList(List<String> entries, boolean parentMatchesSubdomains) {
        this.parentMatchesSubdomains = parentMatchesSubdomains;
        List<String> normalized = new ArrayList<>();
        for (String e : entries) {
            String n = normalize(e);
            normalized.add(n);
            (n.startsWith(".") ? dotted : exact).add(n);
        }
        this.entries = List.copyOf(normalized);
    }

    /** Entries must be {@linkplain #problem(String) valid}; AddressingConfig checks them first. */
    public static DomainList of(List<String> entries, boolean parentMatchesSubdomains) {
        for (String e : entries) {
            String p = problem(e);
            if (p != null) {
                throw new IllegalArgumentException(p);
            }
        }
        return new DomainList(entries, parentMatchesSubdomains);
    }

    /** Lower case (Locale.ROOT), no trailing dot. */
    static String normalize(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") && d.length() > 1 ? d.substring(0, d.length() - 1) : d;
    }

    /** Why an entry cannot be a domain list entry, or null if it can. */
    static String problem(String entry) {
        String n = entry == null ? "" : normalize(entry);
        if (n.isEmpty() || n.equals(".")) {
            return "empty domain name";
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '@' || c == ',' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "'" + entry + "' is not a domain name";
            }
        }
        if (n.contains("..") || (n.endsWith("."))) {
            return "'" + entry + "' is not a domain name";
        }
        return null;
    }

    public boolean matches(String domain) {
        String d = normalize(domain);
        if (exact.contains(d)) {
            return true;
        }
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
            if (dotted.contains(d.substring(dot)) || (parentMatchesSubdomains && exact.contains(d.substring(dot + 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The entries, normalized, in the order given. */
    public List<String> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "DomainList" + entries + (parentMatchesSubdomains ? " (parent matches subdomains)" : "");
    }
}
