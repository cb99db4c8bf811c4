package io.postbus.ingress.proxy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a PP2_TYPE_SSL TLV (spec §2.2.6): which TLS facts the proxy saw on the client
 * connection. {@code client} is the bit field of PP2_CLIENT_* flags; {@code verify} is zero when the
 * client presented a certificate that verified. Text sub-TLVs are checked to be clean UTF-8 when
 * decoded, so the accessors never fail.
 */
public record ProxySslInfo(int client, long verify, List<ProxyTlv> subTlvs) {
    public static final int PP2_CLIENT_SSL = 0x01;
    public static final int PP2_CLIENT_CERT_CONN = 0x02;
    public static final int PP2_CLIENT_CERT_SESS = 0x04;

    public ProxySslInfo {
        if (client < 0 || client > 0xff) {
            throw new IllegalArgumentException("client flags out of range: " + client);
        }
        if (verify < 0 || verify > 0xffff_ffffL) {
            throw new IllegalArgumentException("verify out of range: " + verify);
        }
        subTlvs = List.copyOf(subTlvs);
        for (ProxyTlv t : subTlvs) {
            if (isText(t.type()) && Tlvs.cleanText(t.value()) == null) {
                throw new IllegalArgumentException(String.format("SSL sub-TLV 0x%02x is not clean UTF-8", t.type()));
            }
        }
    }

    /** Decodes a PP2_TYPE_SSL value: 1 byte client, 4 bytes verify, then sub-TLVs. Null when malformed. */
    public static ProxySslInfo decode(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length < 5) {
            return null;
        }
        int client = value[0] & 0xff;
        long verify = ((long) (value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff);
        List<ProxyTlv> subs = Tlvs.split(value, 5, value.length - 5);
        if (subs == null) {
            return null;
        }
        for (ProxyTlv t : subs) {
            if (isText(t.type()) && Tlvs.cleanText(t.value()) == null) {
                return null;
            }
        }
        return new ProxySslInfo(client, verify, subs);
    }

    /** PP2_CLIENT_SSL: the client connected over TLS. */
    public boolean clientSsl() {
        return (client & PP2_CLIENT_SSL) != 0;
    }

    /** PP2_CLIENT_CERT_CONN: the client presented a certificate on this connection. */
    public boolean clientCertificateOnConnection() {
        return (client & PP2_CLIENT_CERT_CONN) != 0;
    }

    /** PP2_CLIENT_CERT_SESS: the client presented a certificate at least once in this TLS session. */
    public boolean clientCertificateInSession() {
        return (client & PP2_CLIENT_CERT_SESS) != 0;
    }

    /** A certificate was presented (on the connection or in the session) and verified. */
    public boolean clientCertificateVerified() {
        return (clientCertificateOnConnection() || clientCertificateInSession()) && verify == 0;
    }

    /** PP2_SUBTYPE_SSL_VERSION, such as "TLSv1.3". */
    public Optional<String> version() {
        return text(ProxyTlv.PP2_SUBTYPE_SSL_VERSION);
    }

    /** PP2_SUBTYPE_SSL_CIPHER, such as "ECDHE-RSA-AES128-GCM-SHA256". */
    public Optional<String> cipher() {
        return text(ProxyTlv.PP2_SUBTYPE_SSL_CIPHER);
    }

    /** PP2_SUBTYPE_SSL_CN: the Common Name of the client certificate's subject. */
    public Optional<String> commonName() {
        return text(ProxyTlv.PP2_SUBTYPE_SSL_CN);
    }

    /** PP2_SUBTYPE_SSL_SIG_ALG: the signature algorithm of the proxy's own certificate. */
    public Optional<String> signatureAlgorithm() {
        return text(ProxyTlv.PP2_SUBTYPE_SSL_SIG_ALG);
    }

    /** PP2_SUBTYPE_SSL_KEY_ALG: the key algorithm of the proxy's own certificate. */
    public Optional<String> keyAlgorithm() {
        return text(ProxyTlv.PP2_SUBTYPE_SSL_KEY_ALG);
    }

    private Optional<String> text(int type) {
        return subTlvs.stream().filter(t -> t.type() == type).findFirst().map(t -> Tlvs.cleanText(t.value()));
    }

    private static boolean isText(int type) {
        return type >= ProxyTlv.PP2_SUBTYPE_SSL_VERSION && type <= ProxyTlv.PP2_SUBTYPE_SSL_KEY_ALG;
    }
}
