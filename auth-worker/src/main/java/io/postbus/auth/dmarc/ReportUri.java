package io.postbus.auth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of a {@code rua} or {@code ruf} list (RFC 7489 §6.2, §6.4):
 * {@code URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]}, the suffix being the largest report the
 * Domain Owner accepts at that address. Units are powers of two (k = 2^10 bytes).
 */
public record ReportUri(URI uri, OptionalLong maxBytes) {

    public ReportUri {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(maxBytes, "maxBytes");
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("report URI must be absolute: " + uri);
        }
        if (maxBytes.isPresent() && maxBytes.getAsLong() < 0) {
            throw new IllegalArgumentException("negative size limit: " + maxBytes);
        }
    }

    /**
     * Parses one list entry. Whitespace around the entry and inside the size suffix is tolerated
     * (published records have it). Empty for anything that is not an absolute URI with a
     * well-formed size suffix: such an entry is dropped, not the whole record (§6.6.3 step 6 speaks of
     * lists with "at least one syntactically valid reporting URI").
     */
    public static Optional<ReportUri> parse(String entry) {
        String text = entry.strip();
        OptionalLong max = OptionalLong.empty();
        // RFC 7489 §6.2: '!' and ',' inside a URI must be percent-encoded, so the last '!' starts the suffix.
        int bang = text.lastIndexOf('!');
        if (bang >= 0) {
            max = parseSize(text.substring(bang + 1));
            if (max.isEmpty()) {
                return Optional.empty();
            }
            text = text.substring(0, bang).strip();
        }
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getRawSchemeSpecificPart().isEmpty()) {
                return Optional.empty();
            }
            if ("mailto".equals(uri.getScheme().toLowerCase(Locale.ROOT)) && domainOfMailto(uri).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ReportUri(uri, max));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong parseSize(String suffix) {
        String s = suffix.replaceAll("[ \t]", "").toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            shift = 10 * (1 + "kmgt".indexOf(s.charAt(s.length() - 1)));
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long n = Long.parseLong(s);
        if (n > (Long.MAX_VALUE >> shift)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n << shift);
    }

    /** For a {@code mailto:} URI, the addr-spec (percent-decoded, without {@code ?headers}). */
    public Optional<String> mailbox() {
        if (!"mailto".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String ssp = uri.getSchemeSpecificPart();
        int q = ssp.indexOf('?');
        return Optional.of(q >= 0 ? ssp.substring(0, q) : ssp);
    }

    /**
     * The destination host: the domain of a {@code mailto:} address, else the URI's host; lower-case.
     * What RFC 7489 §7.1 calls the "destination host" when checking external report destinations.
     */
    public Optional<String> host() {
        if ("mailto".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return domainOfMailto(uri);
        }
        return Optional.ofNullable(uri.getHost()).map(h -> h.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> domainOfMailto(URI uri) {
        String ssp = uri.getSchemeSpecificPart();
        int q = ssp.indexOf('?');
        String address = q >= 0 ? ssp.substring(0, q) : ssp;
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return maxBytes.isPresent() ? uri + "!" + maxBytes.getAsLong() : uri.toString();
    }
}
