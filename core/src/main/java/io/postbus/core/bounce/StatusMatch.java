package io.postbus.core.bounce;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The status column of a bounce rule: an RFC 3463 enhanced status code ({@code 5.1.1}), or a basic
 * reply code ({@code 552}) for servers that send none, where {@code *} stands for any run of
 * characters. {@code 5.1.1} matches only 5.1.1 (not 5.1.10); {@code 5.7.*} matches every 5.7.x;
 * {@code *.2.2} matches 4.2.2 and 5.2.2; a lone {@code *} matches every reply.
 */
public record StatusMatch(String glob) {
    private static final Pattern ENHANCED_GLOB = Pattern.compile("[0-9*]+(\\.[0-9*]+){0,2}");
    private static final Pattern CODE_GLOB = Pattern.compile("[0-9*]{1,3}");

    public static final StatusMatch ANY = new StatusMatch("*");

    public StatusMatch {
        Objects.requireNonNull(glob, "glob");
        if (!isValid(glob)) {
            throw new IllegalArgumentException("not an enhanced status code or reply code pattern: " + glob);
        }
    }

    public static boolean isValid(String glob) {
        if (glob.equals("*")) {
            return true;
        }
        if (glob.indexOf('.') >= 0) {
            // A literal code has three parts; with a '*' fewer are fine ("5.*").
            return ENHANCED_GLOB.matcher(glob).matches() && (glob.contains("*") || glob.split("\\.").length == 3);
        }
        return CODE_GLOB.matcher(glob).matches() && (glob.contains("*") || glob.length() == 3);
    }

    /** True when the rule's pattern fits the reply; an enhanced pattern never matches a reply without one. */
    public boolean matches(int code, String enhancedStatus) {
        if (glob.equals("*")) {
            return true;
        }
        if (isEnhanced()) {
            return enhancedStatus != null && globMatches(glob, 0, enhancedStatus, 0);
        }
        return globMatches(glob, 0, Integer.toString(code), 0);
    }

    /** True for a pattern on the RFC 3463 code rather than on the basic reply code. */
    public boolean isEnhanced() {
        return glob.indexOf('.') >= 0;
    }

    private static boolean globMatches(String glob, int g, String text, int t) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int k = t; k <= text.length(); k++) {
                    if (globMatches(glob, g + 1, text, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || text.charAt(t) != c) {
                return false;
            }
            g++;
            t++;
        }
        return t == text.length();
    }

    @Override
    public String toString() {
        return glob;
    }
}
