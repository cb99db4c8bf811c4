package io.postbus.ingress.tls;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.SourceSnapshot.Input;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Opens a PKCS#12 file with the JDK's key store, to validate what Vert.x will serve from it. */
final class Pkcs12Reader {

    /** The one private key in the file, its alias (handed to Vert.x so it serves this entry) and its chain. */
    record Entry(String alias, PrivateKey key, List<X509Certificate> chain) {}

    private Pkcs12Reader() {}

    static Entry read(Input in, String password) {
        char[] pw = password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(in.bytes()), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) { // how the JDK says "wrong password"
                throw new CertificateLoadException(Reason.WRONG_PASSWORD, in.file(),
                        in.name() + ": the configured password does not open it", e);
            }
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + " is not a PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + " cannot be opened as PKCS#12: " + e.getMessage(), e);
        }
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.isEmpty()) {
                throw new CertificateLoadException(Reason.MALFORMED, in.file(), in.name() + " holds no private key");
            }
            if (keyAliases.size() > 1) {
                throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(), in.name() + " holds "
                        + keyAliases.size() + " private keys " + keyAliases + "; keep only the one for this server");
            }
            String alias = keyAliases.get(0);
            Key key = store.getKey(alias, pw);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(),
                        in.name() + ": entry '" + alias + "' is a secret key, not a private key");
            }
            Certificate[] certs = store.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                        in.name() + ": the private key '" + alias + "' has no certificate with it");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                if (!(c instanceof X509Certificate x)) {
                    throw new CertificateLoadException(Reason.UNSUPPORTED, in.file(),
                            in.name() + " holds a " + c.getType() + " certificate; only X.509 can be served");
                }
                chain.add(x);
            }
            return new Entry(alias, PemReader.servable(privateKey, in), List.copyOf(chain));
        } catch (UnrecoverableKeyException e) {
            throw new CertificateLoadException(Reason.WRONG_PASSWORD, in.file(), in.name()
                    + ": the private key has a password of its own; re-export it with the file's password", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(Reason.MALFORMED, in.file(),
                    in.name() + ": the private key cannot be read: " + e.getMessage(), e);
        }
    }
}
