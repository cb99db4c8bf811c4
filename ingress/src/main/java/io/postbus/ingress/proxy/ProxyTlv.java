package io.postbus.ingress.proxy;

import java.util.Arrays;

/**
 * One v2 Type-Length-Value vector (spec §2.2): a type byte and an opaque value of up to 65535 bytes.
 * The registered types are listed as constants; values of other types are kept unread.
 */
public record ProxyTlv(int type, byte[] value) {
    /** §2.2.1: the ALPN protocol of the client connection. */
    public static final int PP2_TYPE_ALPN = 0x01;
    /** §2.2.2: the host name the client asked for (TLS SNI), UTF-8. */
    public static final int PP2_TYPE_AUTHORITY = 0x02;
    /** §2.2.3: CRC32c of the whole header, computed with this value zeroed. */
    public static final int PP2_TYPE_CRC32C = 0x03;
    /** §2.2.4: padding, ignored. */
    public static final int PP2_TYPE_NOOP = 0x04;
    /** §2.2.5: an opaque connection id of up to 128 bytes. */
    public static final int PP2_TYPE_UNIQUE_ID = 0x05;
    /** §2.2.6: TLS facts about the client connection, with sub-TLVs; see {@link ProxySslInfo}. */
    public static final int PP2_TYPE_SSL = 0x20;
    public static final int PP2_SUBTYPE_SSL_VERSION = 0x21;
    public static final int PP2_SUBTYPE_SSL_CN = 0x22;
    public static final int PP2_SUBTYPE_SSL_CIPHER = 0x23;
    public static final int PP2_SUBTYPE_SSL_SIG_ALG = 0x24;
    public static final int PP2_SUBTYPE_SSL_KEY_ALG = 0x25;
    /** §2.2.7: the network namespace name, US-ASCII. */
    public static final int PP2_TYPE_NETNS = 0x30;

    /** §2.2.5: the longest unique id a sender may present. */
    public static final int MAX_UNIQUE_ID_LENGTH = 128;

    public ProxyTlv {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("TLV type out of range: " + type);
        }
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("TLV value longer than 65535 bytes: " + value.length);
        }
        value = value.clone();
    }

    /** A copy: the record is a value and must not be changed through its accessor. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value's length without copying it. */
    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyTlv t && t.type == type && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("ProxyTlv[type=0x%02x, length=%d]", type, value.length);
    }
}
