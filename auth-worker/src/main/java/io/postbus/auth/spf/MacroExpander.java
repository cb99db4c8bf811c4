package io.postbus.auth.spf;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Expands parsed macro-strings (RFC 7208 §7.3, §7.4) for one check_host() evaluation. Only the
 * "p" letter needs DNS; it is asked of {@code validatedName}, which answers "unknown" on failure.
 */
final class MacroExpander {

    /** §7.3: "the expanded domain name exceeds 253 characters" is truncated from the left. */
    private static final int MAX_DOMAIN = 253;

    private final Sender sender;
    private final InetAddress client;
    private final String helo;
    private final String receiver;
    private final long epochSeconds;
    private final UnaryOperator<String> validatedName;

    /**
     * @param client        already unmapped (an IPv4-mapped client expands as IPv4)
     * @param validatedName current &lt;domain&gt; → the "p" value for it
     */
    MacroExpander(Sender sender, InetAddress client, String helo, String receiver, long epochSeconds,
                  UnaryOperator<String> validatedName) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.client = Objects.requireNonNull(client, "client");
        this.helo = Objects.requireNonNull(helo, "helo");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.epochSeconds = epochSeconds;
        this.validatedName = Objects.requireNonNull(validatedName, "validatedName");
    }

    /**
     * A domain-spec expanded to the name to query: one trailing dot dropped (test suite 7.1/16),
     * then labels removed from the left until it fits 253 characters (§7.3).
     */
    String expandDomain(MacroString spec, String domain) {
        String name = expand(spec, domain);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        while (name.length() > MAX_DOMAIN && name.indexOf('.') >= 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return name;
    }

    /** The text as it stands, with every macro replaced; explanations keep their trailing dot. */
    String expand(MacroString string, String domain) {
        StringBuilder out = new StringBuilder();
        for (MacroString.Part part : string.parts()) {
            if (part instanceof MacroString.Literal literal) {
                out.append(literal.text());
            } else {
                MacroString.Macro macro = (MacroString.Macro) part;
                String value = transform(letterValue(macro.letter(), domain), macro);
                out.append(macro.urlEscape() ? urlEscape(value) : value);
            }
        }
        return out.toString();
    }

    private String letterValue(char letter, String domain) {
        switch (letter) {
            case 's': return sender.address();
            case 'l': return sender.localPart();
            case 'o': return sender.domain();
            case 'd': return domain;
            case 'i': return IpAddresses.dotted(client);
            case 'p': return validatedName.apply(domain);
            case 'v': return IpAddresses.isIpv6(client) ? "ip6" : "in-addr";
            case 'h': return helo;
            case 'c': return IpAddresses.readable(client);
            case 'r': return receiver;
            case 't': return Long.toString(epochSeconds);
            default: throw new IllegalStateException("macro letter not caught by the parser: " + letter);
        }
    }

    /**
     * §7.3: split on the delimiters, reverse if asked, keep the right-hand parts, join with ".".
     * Empty parts are kept ("a..b" has three), as every reference implementation does.
     */
    private static String transform(String value, MacroString.Macro macro) {
        if (!macro.reverse() && macro.rightParts() == 0 && macro.delimiters().equals(".")) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (macro.delimiters().indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (macro.reverse()) {
            Collections.reverse(parts);
        }
        if (macro.rightParts() > 0 && macro.rightParts() < parts.size()) {
            parts = parts.subList(parts.size() - macro.rightParts(), parts.size());
        }
        return String.join(".", parts);
    }

    /** §7.3: upper-case macros are URL-escaped: all but RFC 3986 "unreserved", as %XX of UTF-8. */
    static String urlEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
