package io.postbus.ingress.proxy;

import java.util.Objects;

/** What {@link ProxyHeaderParser} made of the bytes it was given so far: exactly one of three values. */
public sealed interface ProxyParseResult {

    /**
     * The bytes so far are a valid beginning of a header but not a whole one: read more and call the
     * parser again with everything received. No other answer is possible before the buffer holds
     * {@code atLeast} bytes, so a framing shell may wait for that many.
     */
    record NeedMore(int atLeast) implements ProxyParseResult {
        public NeedMore {
            if (atLeast < 1) {
                throw new IllegalArgumentException("atLeast must be positive: " + atLeast);
            }
        }
    }

    /**
     * A complete, valid header. It occupies the first {@code consumed} bytes of the buffer; whatever
     * follows belongs to the proxied protocol (SMTP) and must be handed on, not dropped.
     */
    record Parsed(ProxyHeader header, int consumed) implements ProxyParseResult {
        public Parsed {
            Objects.requireNonNull(header, "header");
            if (consumed < 1) {
                throw new IllegalArgumentException("consumed must be positive: " + consumed);
            }
        }
    }

    /** Not a valid header; the spec (§2.1, §2.2) says to abort the connection. {@code detail} is for logs. */
    record Invalid(Reason reason, String detail) implements ProxyParseResult {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a header was refused. Named after the spec's rules, so a log line points at the section. */
    enum Reason {
        /** Neither "PROXY " (§2.1) nor the 12-byte v2 signature (§2.2). */
        BAD_SIGNATURE,
        /** v1: no CRLF within the first 107 bytes (§2.1). */
        LINE_TOO_LONG,
        /** v1: a token, separator or character that does not match the format (§2.1). */
        BAD_LINE,
        /** v1: an address that is not a literal of the announced family (§2.1). */
        BAD_ADDRESS,
        /** v1: a port outside 0..65535 or with a leading zero (§2.1). */
        BAD_PORT,
        /** v2: version nibble other than 2 (§2.2). */
        BAD_VERSION,
        /** v2: command other than LOCAL or PROXY (§2.2). */
        BAD_COMMAND,
        /** v1: protocol other than TCP4, TCP6, UNKNOWN; v2: unassigned family or protocol nibble (§2.1, §2.2). */
        BAD_FAMILY,
        /** v2: the length field is too short for the addresses of the announced family (§2.2). */
        LENGTH_MISMATCH,
        /** v2: the length field exceeds our configured cap. */
        TOO_LARGE,
        /** v2: a TLV that overruns the header or has a malformed value (§2.2.1 to §2.2.7). */
        BAD_TLV,
        /** v2: the PP2_TYPE_CRC32C checksum does not match (§2.2.3). */
        CRC_MISMATCH
    }
}
