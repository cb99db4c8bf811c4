package io.postbus.ingress.tls;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Whether a private key belongs to a certificate, decided by deriving the public half from the
 * private key and comparing it with the certificate's: exact, cheap, and needs no signature.
 */
final class KeyMatch {
    private KeyMatch() {}

    static boolean matches(PublicKey certificateKey, PrivateKey key) {
        if (certificateKey instanceof RSAPublicKey pub && key instanceof RSAPrivateKey priv) {
            if (!pub.getModulus().equals(priv.getModulus())) {
                return false;
            }
            // A CRT key carries its public exponent; a bare (n, d) key is tied to its modulus alone.
            return !(priv instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent().equals(pub.getPublicExponent());
        }
        if (certificateKey instanceof ECPublicKey pub && key instanceof ECPrivateKey priv) {
            try {
                ECParameterSpec curve = EC5Util.convertSpec(priv.getParams());
                ECPoint derived = curve.getG().multiply(priv.getS()).normalize(); // Q = d·G
                ECPoint published = EC5Util.convertPoint(curve.getCurve(), pub.getW());
                return curve.getCurve().equals(EC5Util.convertSpec(pub.getParams()).getCurve()) && derived.equals(published);
            } catch (IllegalArgumentException notOnThisCurve) {
                return false;
            }
        }
        return false; // different algorithms
    }
}
