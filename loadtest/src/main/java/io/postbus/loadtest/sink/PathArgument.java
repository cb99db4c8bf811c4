package io.postbus.loadtest.sink;

import java.util.List;
import java.util.Locale;

/**
 * The argument of MAIL or RCPT: {@code FROM:<path> params} (RFC 5321 §4.1.1.2). Parsed leniently,
 * like Postfix without strict_rfc821_envelopes: a space after the colon and a path without angle
 * brackets are accepted, because a sink should take what real clients send.
 */
record PathArgument(String address, List<String> parameters) {

    /** Returns null when the argument does not start with {@code keyword} or has no path. */
    static PathArgument parse(String arg, String keyword) {
        if (arg.length() < keyword.length() || !arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return null;
        }
        String rest = arg.substring(keyword.length()).stripLeading();
        String address;
        String params;
        if (rest.startsWith("<")) {
            int close = rest.indexOf('>');
            if (close < 0) {
                return null;
            }
            address = rest.substring(1, close);
            params = rest.substring(close + 1);
        } else {
            int space = rest.indexOf(' ');
            address = space < 0 ? rest : rest.substring(0, space);
            params = space < 0 ? "" : rest.substring(space);
            if (address.isEmpty()) {
                return null;
            }
        }
        // A source route (RFC 5321 §4.1.2, "@a,@b:user@c") is obsolete; keep only the mailbox.
        int colon = address.startsWith("@") ? address.indexOf(':') : -1;
        if (colon >= 0) {
            address = address.substring(colon + 1);
        }
        String trimmed = params.trim();
        return new PathArgument(address, trimmed.isEmpty() ? List.of() : List.of(trimmed.split(" +")));
    }

    /** The SIZE= parameter (RFC 1870), or -1 when absent or not a number. */
    long sizeParameter() {
        for (String p : parameters) {
            if (p.toUpperCase(Locale.ROOT).startsWith("SIZE=")) {
                try {
                    return Long.parseLong(p.substring(5));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
