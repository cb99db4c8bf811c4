package io.postbus.auth.dmarc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DMARC tag-value list (RFC 7489 §6.4): {@code v=DMARC1} first, then {@code tag=value} pairs
 * separated by {@code ;}, whitespace around names, values and separators allowed, empty elements
 * ({@code ;;}, a trailing {@code ;}) ignored. Tag names are case-insensitive (ABNF), kept
 * lower-case; values are kept as written, trimmed.
 */
public record DmarcTags(Map<String, String> values) {

    /** The outcome of reading a TXT string as a tag list. */
    public sealed interface Parse permits Parsed, NotDmarc, Malformed {}

    /** A well-formed list that starts with {@code v=DMARC1}. */
    public record Parsed(DmarcTags tags) implements Parse {}

    /**
     * Not a DMARC record at all: it does not start with {@code v=DMARC1}. Discarded during policy
     * discovery (RFC 7489 §6.6.3 step 2), as a TXT record for some other purpose would be.
     */
    public record NotDmarc(String reason) implements Parse {}

    /** Starts with {@code v=DMARC1} but is not a well-formed tag list. */
    public record Malformed(String reason) implements Parse {}

    private static final Pattern TAG_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public DmarcTags {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(values.get(tag));
    }

    /** Reads {@code text}; never throws. */
    public static Parse parse(String text) {
        if (text == null) {
            return new NotDmarc("no text");
        }
        String[] parts = text.split(";", -1);
        String first = parts[0];
        int eq = first.indexOf('=');
        // The version value is a case-sensitive literal in the ABNF (%x44 %x4d %x41 %x52 %x43 %x31).
        if (eq < 0 || !wsp(first.substring(0, eq)).equalsIgnoreCase("v") || !wsp(first.substring(eq + 1)).equals("DMARC1")) {
            return new NotDmarc("does not start with v=DMARC1");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return new Malformed(String.format("character U+%04X outside the record's syntax", (int) c));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("v", "DMARC1");
        for (int i = 1; i < parts.length; i++) {
            String part = wsp(parts[i]);
            if (part.isEmpty()) {
                continue;
            }
            int e = part.indexOf('=');
            if (e < 0) {
                return new Malformed("'" + part + "' is not tag=value");
            }
            String name = wsp(part.substring(0, e)).toLowerCase(Locale.ROOT);
            if (!TAG_NAME.matcher(name).matches()) {
                return new Malformed("bad tag name '" + name + "'");
            }
            if (values.putIfAbsent(name, wsp(part.substring(e + 1))) != null) {
                return new Malformed("tag '" + name + "' appears twice");
            }
        }
        return new Parsed(new DmarcTags(values));
    }

    /** Strips WSP (space and tab) only, the whitespace of RFC 7489 §6.4. */
    static String wsp(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }
}
