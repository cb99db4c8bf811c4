package io.postbus.router.core;

import java.util.List;
import java.util.Locale;

/**
 * How derived site names are spelled. Host names keep their dots (an operator reads
 * {@code aspmx.l.google.com} in an event and types it into {@code postsuper --suspend-site});
 * the characters a host name cannot hold mark structure: '_' joins the hosts of a set and
 * separates a port, so no derived name can be mistaken for a single host.
 */
final class SiteNames {
    private SiteNames() {}

    /**
     * A set of MX hosts, sorted and joined by '_': the order DNS happened to answer in never
     * changes the name. A set too long for a name is named by its first host and its size, so it
     * still shares a site with every other set of that size that starts with the same host.
     */
    static String ofHosts(List<String> sortedHosts) {
        String joined = String.join("_", sortedHosts.stream().map(SiteNames::clean).toList());
        if (joined.length() <= Site.MAX_NAME_LENGTH) {
            return joined;
        }
        String suffix = "_" + sortedHosts.size() + "-hosts";
        String first = clean(sortedHosts.get(0));
        return first.substring(0, Math.min(first.length(), Site.MAX_NAME_LENGTH - suffix.length())) + suffix;
    }

    /**
     * A next hop in Postfix syntax: brackets dropped, the port after '_'
     * ({@code [10.0.0.1]:2525} → {@code 10.0.0.1_2525}); LMTP gets {@code lmtp_} in front, so a
     * mailbox server and an SMTP relay on one host stay two sites.
     */
    static String ofNextHop(Transport transport, String nextHop) {
        String name = clean(nextHop);
        return transport == Transport.LMTP ? bounded("lmtp_" + name) : name;
    }

    /** A recipient domain or a host: lower case, without brackets or a trailing dot. */
    static String ofDomain(String domain) {
        return clean(domain);
    }

    private static String clean(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                out.append('_');
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('-'); // anything else a table or a peer could hold, never a shell metacharacter
            }
        }
        while (out.length() > 0 && !Character.isLetterOrDigit(out.charAt(0))) {
            out.deleteCharAt(0);
        }
        return bounded(out.length() == 0 ? "unnamed" : out.toString());
    }

    private static String bounded(String s) {
        return s.length() <= Site.MAX_NAME_LENGTH ? s : s.substring(0, Site.MAX_NAME_LENGTH);
    }
}
