package io.postbus.auth.psl;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain name split into labels, each kept both as given (lower-cased) and as its A-label
 * (punycode, RFC 5891), so that matching happens on one canonical form while answers can be given
 * in the caller's form: the PSL tests expect {@code 食狮.com.cn} back for {@code 食狮.com.cn}.
 *
 * <p>Uses {@link IDN} (IDNA2003 with unassigned code points allowed, as RFC 3490 §5 permits for
 * lookups). IDNA2003 maps a few characters differently from IDNA2008 (ß becomes "ss"); both the
 * list's rules and the inputs go through the same mapping, so they still match each other.
 */
public record DomainLabels(List<String> given, List<String> ascii) {

    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;
    /**
     * Letters, digits, hyphen (RFC 5321 §4.1.2 sub-domain), plus underscore, which real host names
     * carry. Checked after IDNA: nameprep can turn odd code points into spaces or symbols.
     */
    private static final Pattern LDH = Pattern.compile("[a-z0-9_-]+");

    public DomainLabels {
        given = List.copyOf(given);
        ascii = List.copyOf(ascii);
        if (given.size() != ascii.size() || given.isEmpty()) {
            throw new IllegalArgumentException("labels: " + given + " / " + ascii);
        }
    }

    /**
     * Splits and converts {@code domain}: lower-cased with {@link Locale#ROOT}, one trailing dot
     * dropped, IDNA label separators (U+3002, U+FF0E, U+FF61) accepted. Empty when the text is
     * null, empty, starts with a dot, has an empty label, a label over 63 octets, a name over 253
     * octets, a label IDNA refuses, or an A-label with anything but letters, digits, '-' and '_'.
     */
    public static Optional<DomainLabels> of(String domain) {
        if (domain == null || domain.isEmpty()) {
            return Optional.empty();
        }
        String d = domain.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.startsWith(".")) {
            return Optional.empty();
        }
        List<String> given = new ArrayList<>();
        List<String> ascii = new ArrayList<>();
        int length = 0;
        for (String label : d.split("\\.", -1)) {
            Optional<String> a = toAsciiLabel(label);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            given.add(label.toLowerCase(Locale.ROOT));
            ascii.add(a.get());
            length += a.get().length() + 1;
        }
        return length - 1 > MAX_NAME ? Optional.empty() : Optional.of(new DomainLabels(given, ascii));
    }

    /** The lower-case A-label form of {@code domain}, or empty if it is not a usable name (see {@link #of}). */
    public static Optional<String> toAscii(String domain) {
        return of(domain).map(DomainLabels::asciiName);
    }

    static Optional<String> toAsciiLabel(String label) {
        if (label.isEmpty()) {
            return Optional.empty();
        }
        try {
            String a = IDN.toASCII(label.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            return a.length() > MAX_LABEL || !LDH.matcher(a).matches() ? Optional.empty() : Optional.of(a);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // IDNA refused the label: not a name we can match
        }
    }

    public int size() {
        return ascii.size();
    }

    public String asciiName() {
        return String.join(".", ascii);
    }

    /** The rightmost {@code count} labels, in the caller's form. */
    public String givenSuffix(int count) {
        return String.join(".", given.subList(given.size() - count, given.size()));
    }

    /** The rightmost {@code count} labels as A-labels. */
    public String asciiSuffix(int count) {
        return String.join(".", ascii.subList(ascii.size() - count, ascii.size()));
    }
}
