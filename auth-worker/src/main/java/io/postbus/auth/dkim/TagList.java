package io.postbus.auth.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A DKIM tag=value list (RFC 6376 §3.2), shared by DKIM-Signature, key records and the three ARC
 * headers (RFC 8617 §4.1). Tag names are case-sensitive; white space around tags, '=' and values is
 * ignored; a duplicate tag makes the whole list invalid; a trailing ';' is allowed.
 */
public final class TagList {
    private final Map<String, String> tags;

    private TagList(Map<String, String> tags) {
        this.tags = Collections.unmodifiableMap(tags);
    }

    /**
     * Parses a tag list.
     *
     * @throws MalformedTagListException when the syntax of §3.2 is broken (a verifier turns this into permerror)
     */
    public static TagList parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            if (spec.isBlank()) {
                if (i == specs.length - 1) {
                    break; // an optional trailing ';'
                }
                throw new MalformedTagListException("empty tag-spec");
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new MalformedTagListException("tag-spec without '=': " + shortened(spec));
            }
            String name = trimFws(spec.substring(0, eq));
            if (!isTagName(name)) {
                throw new MalformedTagListException("bad tag name: " + shortened(name));
            }
            String value = trimFws(spec.substring(eq + 1));
            if (!isTagValue(value)) {
                throw new MalformedTagListException("bad value for tag " + name);
            }
            if (tags.putIfAbsent(name, value) != null) {
                throw new MalformedTagListException("duplicate tag " + name);
            }
        }
        return new TagList(tags);
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    public boolean has(String tag) {
        return tags.containsKey(tag);
    }

    /** The value of a tag that must be present. */
    public String require(String tag) {
        String v = tags.get(tag);
        if (v == null) {
            throw new MalformedTagListException("missing required tag " + tag + "=");
        }
        return v;
    }

    /** Tags in the order they appeared. */
    public Map<String, String> asMap() {
        return tags;
    }

    /** A value with every FWS removed, as base64 tags (b=, bh=, p=) want (RFC 6376 §3.5, §3.6.1). */
    public static String withoutWhitespace(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Lower-cased value, for the tags the RFC defines as case-insensitive (a=, c=, k=, q=). */
    public static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private static String trimFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) {
            start++;
        }
        while (end > start && isFws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** tag-name = ALPHA *ALNUMPUNC; ALNUMPUNC = ALPHA / DIGIT / "_" */
    private static boolean isTagName(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * tval = 1*VALCHAR, separated by FWS; VALCHAR = %x21-3A / %x3C-7E. Non-ASCII is tolerated because
     * i= and z= may carry UTF-8 (RFC 8616); CR/LF only as part of folding.
     */
    private static boolean isTagValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ';' || c < 0x09 || (c > 0x0a && c < 0x20 && c != 0x0d) || c == 0x7f) {
                return false;
            }
            if (c == '\n' && (i + 1 >= s.length() || !isFws(s.charAt(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String shortened(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    @Override
    public String toString() {
        return tags.toString();
    }
}
