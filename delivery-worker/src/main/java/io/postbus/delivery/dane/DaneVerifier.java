package io.postbus.delivery.dane;

import io.postbus.delivery.dane.TlsaParameters.CertificateUsage;
import io.postbus.delivery.dane.TlsaParameters.MatchingType;
import io.postbus.delivery.dane.TlsaParameters.Selector;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a server's certificate chain against usable TLSA records (RFC 7672 §3.1). Pure: a chain,
 * the records and names in, a {@link DaneVerdict} out; never throws for a normal outcome.
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf's certificate (selector Cert) or public key (SPKI) matches, exactly or by
 *       SHA-256/SHA-512. Nothing else is checked: not the name, not the validity dates (§3.1.1) — the
 *       DNSSEC-signed record is the whole authentication.</li>
 *   <li>DANE-TA(2): a certificate of the presented chain (or its key) matches; it becomes the only
 *       trust anchor, the JDK's PKIX {@link CertPathValidator} validates the path from the leaf up to
 *       it (signatures, validity dates, basic constraints; no revocation, as in Postfix), and the
 *       leaf must name a reference identifier (§3.2.2, {@link ReferenceIdentifiers}). The names
 *       matter here because a TA vouches for many hosts: without them any certificate the
 *       operator's CA issued, for any host, would do.</li>
 * </ul>
 * Records are tried in order; the first that authenticates wins. A trust anchor key that is
 * published but missing from the chain (RFC 7671 §5.2.2, "2 1 x" for a key the server does not
 * send) is not supported: RFC 7672 §3.1.2 asks servers to include the TA certificate.
 */
public final class DaneVerifier {

    private DaneVerifier() {}

    /** @param chain as the server sent it, leaf first; {@code now} for the DANE-TA path's validity dates */
    public static DaneVerdict verify(List<X509Certificate> chain, DaneTrust trust, Instant now) {
        if (chain.isEmpty()) {
            return new DaneVerdict(DaneVerdict.Result.NO_CERTIFICATE, Optional.empty(), "the server sent no certificate");
        }
        DaneVerdict best = null;
        for (UsableTlsa r : trust.records()) {
            if (r.usage() == CertificateUsage.DANE_EE) {
                if (matches(chain.get(0), r)) {
                    return new DaneVerdict(DaneVerdict.Result.DANE_EE_MATCHED, Optional.of(r),
                            "TLSA " + r.describe() + " matched the server certificate");
                }
                continue;
            }
            for (int i = 0; i < chain.size(); i++) {
                if (matches(chain.get(i), r)) {
                    DaneVerdict v = trustAnchored(chain, i, r, trust.referenceNames(), now);
                    if (v.authenticated()) {
                        return v;
                    }
                    best = best == null ? v : best;
                }
            }
        }
        return best != null ? best : new DaneVerdict(DaneVerdict.Result.NO_MATCHING_TLSA, Optional.empty(),
                "no TLSA record at " + trust.tlsaName() + " matched the certificate chain");
    }

    /** RFC 6698 §2.1.2/§2.1.3: the selected content, digested by the matching type, equals the data. */
    static boolean matches(X509Certificate cert, UsableTlsa r) {
        byte[] selected;
        try {
            selected = r.selector() == Selector.CERT ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            return false;
        }
        return MessageDigest.isEqual(associationData(selected, r.matchingType()), r.record().data());
    }

    /** The certificate association data for selected content: what a TLSA record publishes. */
    public static byte[] associationData(byte[] selected, MatchingType type) {
        if (type == MatchingType.FULL) {
            return selected;
        }
        try {
            return MessageDigest.getInstance(type.digest).digest(selected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + type.digest, e);
        }
    }

    private static DaneVerdict trustAnchored(List<X509Certificate> chain, int anchorAt, UsableTlsa r,
                                             List<String> referenceNames, Instant now) {
        if (anchorAt > 0) {
            try {
                PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(anchorAt), null)));
                params.setRevocationEnabled(false);
                params.setDate(Date.from(now));
                CertPathValidator.getInstance("PKIX").validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, anchorAt)), params);
            } catch (GeneralSecurityException e) {
                return new DaneVerdict(DaneVerdict.Result.DANE_TA_CHAIN_INVALID, Optional.empty(),
                        "TLSA " + r.describe() + " matched a chain certificate, but the chain does not validate: "
                                + e.getMessage());
            }
        }
        // anchorAt == 0: the leaf itself is the published trust anchor (RFC 7671 §5.2.2); only the name remains.
        String named = ReferenceIdentifiers.firstMatch(chain.get(0), referenceNames);
        if (named == null) {
            return new DaneVerdict(DaneVerdict.Result.REFERENCE_IDENTIFIER_MISMATCH, Optional.empty(),
                    "TLSA " + r.describe() + " matched, but the certificate names none of " + referenceNames);
        }
        return new DaneVerdict(DaneVerdict.Result.DANE_TA_MATCHED, Optional.of(r),
                "TLSA " + r.describe() + " matched the chain, certificate names " + named);
    }
}
