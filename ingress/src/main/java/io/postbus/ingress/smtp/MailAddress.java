package io.postbus.ingress.smtp;

import java.util.Locale;
import java.util.regex.Pattern;

/** RFC 5321 §4.1.2 mailbox syntax checks, and the domain part of an address. */
public final class MailAddress {
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern QUOTED = Pattern.compile("\"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*\"");
    private static final Pattern DOMAIN = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[(IPv6:[0-9A-Fa-f:.]+|[0-9]{1,3}(\\.[0-9]{1,3}){3})]");
    private static final Pattern UTF8_ATOM = Pattern.compile("[^\\x00-\\x20\"(),:;<>@\\[\\\\\\]\\x7f]+(\\.[^\\x00-\\x20\"(),:;<>@\\[\\\\\\]\\x7f]+)*");

    private MailAddress() {}

    /** ASCII mailbox (local@domain) within RFC 5321 §4.5.3.1 length limits. */
    public static boolean isValid(String address) {
        return check(address, false);
    }

    /** Mailbox that may contain UTF-8 (RFC 6531 §3.3), allowed when SMTPUTF8 was given. */
    public static boolean isValidUtf8(String address) {
        return check(address, true);
    }

    private static boolean check(String address, boolean utf8) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.length() > 254) {
            return false;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64) {
            return false;
        }
        boolean localOk = DOT_ATOM.matcher(local).matches() || QUOTED.matcher(local).matches()
                || (utf8 && UTF8_ATOM.matcher(local).matches());
        boolean domainOk = DOMAIN.matcher(domain).matches() || ADDRESS_LITERAL.matcher(domain).matches()
                || (utf8 && DOMAIN.matcher(aLabels(domain)).matches());
        return localOk && domainOk;
    }

    /** RFC 5890 A-label form of an internationalised domain; "" when it is not a valid IDN. */
    private static String aLabels(String domain) {
        try {
            return java.net.IDN.toASCII(domain, java.net.IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Whether an address needs no SMTPUTF8 (RFC 6531 §3.4). */
    public static boolean isAscii(String address) {
        return address.chars().allMatch(c -> c < 128);
    }

    /** Lower-case domain of an address; "" for the null path and bare "postmaster". */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
