package io.postbus.ingress.proxy;

import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Reason;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Parses the PROXY protocol header, version 1 or 2, at the start of a connection.
 *
 * <p>Stateless and thread-safe: the caller accumulates the bytes received so far and calls
 * {@link #parse} again after every read until the answer is not {@link NeedMore}. A header is at most
 * 107 bytes (v1) or {@code 16 + maxV2Length} bytes (v2), so the buffer stays small. The parser never
 * throws on any input and never reads past the header: on {@code Parsed} the bytes after
 * {@code consumed} belong to SMTP.
 */
public final class ProxyHeaderParser {
    /**
     * Our default cap on the v2 length field (addresses plus TLVs). The wire allows 65535; real
     * proxies send well under 1 KiB (216 bytes for AF_UNIX addresses is the largest fixed part).
     */
    public static final int DEFAULT_MAX_V2_LENGTH = 4096;

    private final int maxV2Length;

    public ProxyHeaderParser() {
        this(DEFAULT_MAX_V2_LENGTH);
    }

    /** @param maxV2Length largest v2 length field accepted, 0..65535; longer headers are {@code TOO_LARGE}. */
    public ProxyHeaderParser(int maxV2Length) {
        if (maxV2Length < 0 || maxV2Length > 0xffff) {
            throw new IllegalArgumentException("maxV2Length must be within 0..65535: " + maxV2Length);
        }
        this.maxV2Length = maxV2Length;
    }

    public int maxV2Length() {
        return maxV2Length;
    }

    /** The most bytes a header can take under this parser's cap: more buffering is never needed. */
    public int maxHeaderLength() {
        return Math.max(V1Parser.MAX_LENGTH, V2Parser.FIXED_LENGTH + maxV2Length);
    }

    /** Parses {@code buf[0, length)}. */
    public ProxyParseResult parse(byte[] buf, int length) {
        return parse(buf, 0, length);
    }

    /** Parses {@code buf[offset, offset + length)}. */
    public ProxyParseResult parse(byte[] buf, int offset, int length) {
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        if (length == 0) {
            return new NeedMore(1);
        }
        return switch (buf[offset]) {
            case 'P' -> V1Parser.parse(buf, offset, length);
            case '\r' -> V2Parser.parse(buf, offset, length, maxV2Length);
            default -> new Invalid(Reason.BAD_SIGNATURE, "not a PROXY header");
        };
    }

    /**
     * Parses the bytes between the buffer's position and limit, leaving position and limit as they
     * were; on {@code Parsed} the caller advances the position by {@code consumed}.
     */
    public ProxyParseResult parse(ByteBuffer buf) {
        Objects.requireNonNull(buf, "buf");
        if (buf.hasArray()) {
            return parse(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
        }
        // Bytes past the longest possible header cannot change the answer, so copy no more than that.
        byte[] copy = new byte[Math.min(buf.remaining(), maxHeaderLength())];
        buf.duplicate().get(copy);
        return parse(copy, copy.length);
    }

    /**
     * A cheap test for a listener that does not expect the protocol: do the first bytes carry a PROXY
     * header signature ("PROXY " for v1, the 12-byte block for v2)? Such a connection should be refused
     * (spec §5: a client must not be able to choose its own source address). False while fewer bytes
     * than the signature have arrived.
     */
    public static boolean looksLikeProxyHeader(byte[] buf, int length) {
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(0, length, buf.length);
        return startsWith(buf, length, V1Parser.PREFIX) || startsWith(buf, length, V2Parser.SIGNATURE);
    }

    /** {@link #looksLikeProxyHeader(byte[], int)} on the whole array. */
    public static boolean looksLikeProxyHeader(byte[] buf) {
        return looksLikeProxyHeader(buf, buf.length);
    }

    private static boolean startsWith(byte[] buf, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
