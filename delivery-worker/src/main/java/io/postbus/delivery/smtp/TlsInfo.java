package io.postbus.delivery.smtp;

import java.util.Objects;
import java.util.Optional;

/**
 * The negotiated TLS parameters of a session and what the server's certificate proved.
 *
 * @param protocol     e.g. "TLSv1.3"
 * @param cipherSuite  e.g. "TLS_AES_256_GCM_SHA384"
 * @param peerSubject  the subject DN of the server's certificate, or null when it sent none
 * @param verification the result of checking that certificate against the trust anchors and host name
 * @param problem      why it is not {@link PeerVerification#VERIFIED}; null when it is
 * @param authenticatedBy how a VERIFIED peer was authenticated when not by the PKIX trust anchors,
 *                     e.g. the DANE TLSA record that matched (RFC 7672); null otherwise
 */
public record TlsInfo(String protocol, String cipherSuite, String peerSubject, PeerVerification verification,
                      String problem, String authenticatedBy) {

    /** Authenticated by the trust anchors, or not at all. */
    public TlsInfo(String protocol, String cipherSuite, String peerSubject, PeerVerification verification,
                   String problem) {
        this(protocol, cipherSuite, peerSubject, verification, problem, null);
    }

    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(verification, "verification");
        if ((verification == PeerVerification.VERIFIED) != (problem == null)) {
            throw new IllegalArgumentException("a problem is given exactly when the peer is not verified");
        }
        if (authenticatedBy != null && verification != PeerVerification.VERIFIED) {
            throw new IllegalArgumentException("only a verified peer was authenticated by something");
        }
    }

    public Optional<String> peer() {
        return Optional.ofNullable(peerSubject);
    }

    /** "TLSv1.3 TLS_AES_256_GCM_SHA384, peer CN=mx.example.com verified [by DANE TLSA …]". */
    public String summary() {
        return protocol + " " + cipherSuite + ", peer " + (peerSubject == null ? "(no certificate)" : peerSubject)
                + " " + verification.name().toLowerCase(java.util.Locale.ROOT)
                + (problem == null ? "" : " (" + problem + ")")
                + (authenticatedBy == null ? "" : " by " + authenticatedBy);
    }
}
