package io.postbus.ingress.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The "=filter" of a {@code postscreen_dnsbl_sites} entry: which A-record answers of a DNSBL count.
 * Postfix's IPv4 address pattern syntax ({@code ip_match}), exactly:
 *
 * <pre>
 *   pattern = field "." field "." field "." field
 *   field   = octet | "[" member *( ";" member ) "]"
 *   member  = octet | octet ".." octet
 *   octet   = decimal number 0..255
 * </pre>
 *
 * <p>So {@code 127.0.0.2}, {@code 127.0.0.[2..11]}, {@code 127.0.0.[10;11]} and
 * {@code 127.0.[0..255].[0..255]}. A "[ ]" sequence cannot span fields ({@code 1.2.[3.4]}), and a
 * field cannot be both a number and a sequence ({@code 1.2.3.3[6..9]}). Postfix 2.8 briefly used
 * "," inside the brackets; it became ";" because "," separates list entries, and we accept ";" only.
 *
 * @param fields the four fields, most significant first
 */
public record ReplyFilter(List<Field> fields) {

    /** One field: the octet values it accepts, as ranges. */
    public record Field(List<Range> ranges) {
        public Field {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("a filter field needs at least one value");
            }
        }

        public boolean contains(int octet) {
            return ranges.stream().anyMatch(r -> r.contains(octet));
        }

        /** Postfix syntax: a bare number for one value, else the bracketed sequence. */
        @Override
        public String toString() {
            if (ranges.size() == 1 && ranges.get(0).low() == ranges.get(0).high()) {
                return Integer.toString(ranges.get(0).low());
            }
            return ranges.stream().map(Range::toString).collect(Collectors.joining(";", "[", "]"));
        }
    }

    /** Octet values {@code low..high}, both inclusive. */
    public record Range(int low, int high) {
        public Range {
            if (low < 0 || high > 255 || low > high) {
                throw new IllegalArgumentException("not an octet range: " + low + ".." + high);
            }
        }

        public boolean contains(int octet) {
            return octet >= low && octet <= high;
        }

        @Override
        public String toString() {
            return low == high ? Integer.toString(low) : low + ".." + high;
        }
    }

    public ReplyFilter {
        fields = List.copyOf(fields);
        if (fields.size() != 4) {
            throw new IllegalArgumentException("an IPv4 filter has four fields, not " + fields.size());
        }
    }

    /** Parses Postfix pattern text; the message of the exception says what is wrong, in its terms. */
    public static ReplyFilter parse(String text) {
        List<String> parts = splitFields(text);
        if (parts.size() != 4) {
            throw new IllegalArgumentException("filter \"" + text
                    + "\" must have four fields separated by '.', like 127.0.0.2 or 127.0.0.[2..11]");
        }
        List<Field> fields = new ArrayList<>(4);
        for (String part : parts) {
            fields.add(parseField(part));
        }
        return new ReplyFilter(fields);
    }

    /** True if the answer is an IPv4 address whose four octets are each accepted by their field. */
    public boolean matches(InetAddress answer) {
        if (!(answer instanceof Inet4Address)) {
            return false;
        }
        byte[] b = answer.getAddress();
        for (int i = 0; i < 4; i++) {
            if (!fields.get(i).contains(b[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return fields.stream().map(Field::toString).collect(Collectors.joining("."));
    }

    /** Splits on the dots between fields, not on the ".." of a range inside brackets. */
    private static List<String> splitFields(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Field parseField(String part) {
        if (part.startsWith("[") || part.endsWith("]")) {
            if (!part.startsWith("[") || !part.endsWith("]") || part.length() < 2
                    || part.indexOf('[', 1) >= 0 || part.indexOf(']') != part.length() - 1) {
                throw new IllegalArgumentException("field \"" + part + "\" is not one [...] sequence");
            }
            String body = part.substring(1, part.length() - 1);
            if (body.indexOf(',') >= 0) {
                throw new IllegalArgumentException("field \"" + part
                        + "\": separate values inside [ ] with ';' (',' separates list entries)");
            }
            List<Range> ranges = new ArrayList<>();
            for (String member : body.split(";", -1)) {
                ranges.add(parseMember(part, member));
            }
            return new Field(ranges);
        }
        int octet = parseOctet(part);
        if (octet < 0) {
            throw new IllegalArgumentException("field \"" + part + "\" must be a number 0..255 or a [...] sequence");
        }
        return new Field(List.of(new Range(octet, octet)));
    }

    private static Range parseMember(String field, String member) {
        int dots = member.indexOf("..");
        if (dots < 0) {
            int octet = parseOctet(member);
            if (octet < 0) {
                throw new IllegalArgumentException("field \"" + field + "\": \"" + member
                        + "\" is neither a number 0..255 nor a low..high range");
            }
            return new Range(octet, octet);
        }
        int low = parseOctet(member.substring(0, dots));
        int high = parseOctet(member.substring(dots + 2));
        if (low < 0 || high < 0) {
            throw new IllegalArgumentException("field \"" + field + "\": \"" + member
                    + "\" is not a range of two numbers 0..255");
        }
        if (low > high) {
            throw new IllegalArgumentException("field \"" + field + "\": range " + member + " runs backwards");
        }
        return new Range(low, high);
    }

    /** One to three decimal digits, at most 255; -1 otherwise. */
    private static int parseOctet(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }
}
