package io.postbus.delivery.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The service extensions a server listed in its EHLO reply (RFC 5321 §4.1.1.1): each line after
 * the first is a keyword and optional parameters. Keywords are kept upper-case.
 *
 * @param keywords keyword → its parameters ("" when none), in the server's order
 */
public record EhloCapabilities(Map<String, String> keywords) {

    public EhloCapabilities {
        keywords = Map.copyOf(keywords);
    }

    /** After HELO there are no extensions. */
    public static EhloCapabilities none() {
        return new EhloCapabilities(Map.of());
    }

    public static EhloCapabilities fromEhloReply(SmtpReply reply) {
        Map<String, String> keywords = new LinkedHashMap<>();
        // The first line is the server's name and greeting, not an extension.
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
            keywords.putIfAbsent(keyword, space < 0 ? "" : trimmed.substring(space + 1).trim());
        }
        return new EhloCapabilities(keywords);
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** RFC 2920. */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** RFC 3207. */
    public boolean startTls() {
        return has("STARTTLS");
    }

    /** RFC 6152. */
    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    /** RFC 3030 §2: BDAT may replace DATA. */
    public boolean chunking() {
        return has("CHUNKING");
    }

    /** RFC 3030 §3: BODY=BINARYMIME is accepted (and then needs BDAT, so CHUNKING too). */
    public boolean binaryMime() {
        return has("BINARYMIME");
    }

    /** RFC 6531. */
    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /** RFC 2034. */
    public boolean enhancedStatusCodes() {
        return has("ENHANCEDSTATUSCODES");
    }

    /** RFC 3461. */
    public boolean dsn() {
        return has("DSN");
    }

    /** RFC 1870 SIZE: present means SIZE= may be sent. */
    public boolean size() {
        return has("SIZE");
    }

    /** The fixed size limit from "SIZE n", if the server gave a positive one (0 means no limit). */
    public OptionalLong sizeLimit() {
        String p = keywords.get("SIZE");
        if (p == null || p.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(p);
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
