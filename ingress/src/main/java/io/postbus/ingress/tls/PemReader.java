package io.postbus.ingress.tls;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.SourceSnapshot.Input;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM with Bouncy Castle rather than leaving it to Vert.x: one parser for all three key
 * encodings, errors that name the file, and the parsed objects needed to check that key and
 * certificate belong together. Other blocks in the file (a key in the chain file, EC PARAMETERS
 * before an EC key) are skipped, so a combined chain-and-key file works for both roles.
 */
final class PemReader {
    private static final String KEY_BLOCKS =
            "-----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----";

    private PemReader() {}

    static List<X509Certificate> certificates(Input in) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(in)) {
            X509CertificateHolder holder = o instanceof X509CertificateHolder h ? h
                    : o instanceof X509TrustedCertificateBlock t ? t.getCertificateHolder() : null;
            if (holder == null) {
                continue;
            }
            try {
                chain.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                        in.name() + ": certificate #" + (chain.size() + 1) + " cannot be decoded: " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + " holds no -----BEGIN CERTIFICATE----- block" + derHint(in, "x509"));
        }
        return List.copyOf(chain);
    }

    static PrivateKey privateKey(Input in) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PrivateKey> keys = new ArrayList<>();
        for (Object o : objects(in)) {
            try {
                if (o instanceof PEMKeyPair pair) { // PKCS#1 RSA or SEC1 EC
                    // Not getKeyPair(): a SEC1 key may omit its public half, and then that throws.
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (o instanceof PrivateKeyInfo info) { // PKCS#8
                    keys.add(converter.getPrivateKey(info));
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(), in.name()
                            + " is encrypted, and there is no one to type the passphrase at start: decrypt it"
                            + " (openssl pkey -in KEY -out KEY.plain) and protect it with file permissions instead");
                }
            } catch (IOException e) { // PEMException: the key's ASN.1 is not what its header says
                throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                        in.name() + ": the private key cannot be decoded: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + " holds no private key (expected " + KEY_BLOCKS + ")" + derHint(in, "pkey"));
        }
        if (keys.size() > 1) {
            throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(),
                    in.name() + " holds " + keys.size() + " private keys; keep only the one for the certificate");
        }
        return servable(keys.get(0), in);
    }

    /** Vert.x builds RSA and EC keys only (its KeyStoreHelper); anything else would fail later and less clearly. */
    static PrivateKey servable(PrivateKey key, Input in) {
        String alg = key.getAlgorithm();
        if (!alg.equals("RSA") && !alg.equals("EC")) {
            throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(),
                    in.name() + " holds a " + alg + " key; only RSA and EC keys can be served");
        }
        return key;
    }

    private static List<Object> objects(Input in) {
        List<Object> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(in.bytes()), StandardCharsets.US_ASCII))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) { // broken base64, truncated block, bad ASN.1
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + " is not valid PEM: " + e.getMessage(), e);
        }
        return out;
    }

    /** A binary file starting with an ASN.1 SEQUENCE is most likely DER: say how to convert it. */
    private static String derHint(Input in, String tool) {
        byte[] b = in.bytes();
        if (b.length > 0 && b[0] == 0x30) {
            return "; it looks like binary DER: convert it with openssl " + tool + " -inform der -in FILE -out FILE.pem";
        }
        return b.length == 0 ? "; the file is empty" : "";
    }
}
