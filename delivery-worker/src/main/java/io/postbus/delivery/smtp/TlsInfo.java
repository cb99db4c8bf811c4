package io.postbus.delivery.smtp;

import java.util.Objects;

/** The negotiated TLS parameters of a session, e.g. ("TLSv1.3", "TLS_AES_256_GCM_SHA384"). */
public record TlsInfo(String protocol, String cipherSuite) {
    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }
}
