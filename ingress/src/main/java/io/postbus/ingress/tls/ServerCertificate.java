package io.postbus.ingress.tls;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate chain and private key that passed validation, ready to hand to Vert.x: at start
 * through {@code NetServerOptions.setKeyCertOptions(keyCertOptions())}; after a renewal, without a
 * restart, through {@link #applyTo(NetServer)} for implicit-TLS servers and {@link #startTls} for
 * STARTTLS upgrades. Made only by {@link CertificateSource#load}.
 */
public final class ServerCertificate {
    private final CertificateSource source;
    private final List<X509Certificate> chain;
    private final List<CertificateWarning> warnings;
    private final String digest;
    private final KeyCertOptions keyCert;

    ServerCertificate(CertificateSource source, List<X509Certificate> chain, List<CertificateWarning> warnings,
                      String digest, KeyCertOptions keyCert) {
        this.source = source;
        this.chain = List.copyOf(chain);
        this.warnings = List.copyOf(warnings);
        this.digest = digest;
        this.keyCert = keyCert;
    }

    public CertificateSource source() {
        return source;
    }

    /** The server's certificate first, then the intermediates, as they will be sent. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public BigInteger serialNumber() {
        return leaf().getSerialNumber();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Servable, but an operator should look: expiring soon, incomplete or disordered chain. */
    public List<CertificateWarning> warnings() {
        return warnings;
    }

    /** SHA-256 (hex) of the bytes it was loaded from: equal digests, same files. */
    public String digest() {
        return digest;
    }

    /**
     * A fresh copy of the Vert.x options holding this certificate by value (so nothing is re-read
     * from disk later): {@code PemKeyCertOptions} for PEM and self-signed sources,
     * {@code PfxOptions} for PKCS#12.
     */
    public KeyCertOptions keyCertOptions() {
        return keyCert.copy();
    }

    /**
     * Options for {@link NetServer#updateSSLOptions}: Vert.x replaces the server's whole SSL
     * configuration with them, so a server configured with more than a certificate (protocols,
     * cipher suites, client auth) needs {@link #sslOptions(ServerSSLOptions)} instead.
     */
    public ServerSSLOptions sslOptions() {
        return new ServerSSLOptions().setKeyCertOptions(keyCertOptions());
    }

    /** A copy of {@code template} with this certificate in it. */
    public ServerSSLOptions sslOptions(ServerSSLOptions template) {
        return new ServerSSLOptions(template).setKeyCertOptions(keyCertOptions());
    }

    /**
     * Makes an implicit-TLS {@code server} ({@code NetServerOptions.setSsl(true)}, port 465) serve
     * this certificate on connections accepted from now on; open connections keep theirs. Completes
     * with {@code false} when the server already had exactly these options.
     *
     * <p>Not for plain listeners that upgrade with STARTTLS: Vert.x 5.0 keeps no SSL context for a
     * server without {@code setSsl(true)}, its {@code updateSSLOptions} fails there, and its sockets
     * upgrade with the options the server was created with. Use {@link #startTls} for those.
     */
    public Future<Boolean> applyTo(NetServer server) {
        return applyTo(server, new ServerSSLOptions());
    }

    /** {@link #applyTo(NetServer)} keeping the rest of {@code template} (say, the handshake timeout). */
    public Future<Boolean> applyTo(NetServer server, ServerSSLOptions template) {
        try {
            return server.updateSSLOptions(sslOptions(template));
        } catch (RuntimeException e) { // Vert.x 5.0.8 throws a NullPointerException on a non-TLS server
            return Future.failedFuture(new IllegalStateException("cannot update the certificate of a server without"
                    + " setSsl(true); STARTTLS listeners take it per connection with ServerCertificate.startTls", e));
        }
    }

    /**
     * STARTTLS (RFC 3207): writes {@code lastPlainBytes} (the 220 reply) and switches {@code socket}
     * to TLS with this certificate. Call it on {@code watcher.current()} at every upgrade so renewed
     * certificates reach STARTTLS connections too. Vert.x caches the SSL context by the options'
     * value, so this costs no key parsing per connection.
     */
    public Future<Void> startTls(NetSocket socket, Buffer lastPlainBytes) {
        return startTls(socket, lastPlainBytes, new ServerSSLOptions());
    }

    /** {@link #startTls(NetSocket, Buffer)} with the rest of {@code template} (say, the handshake timeout). */
    public Future<Void> startTls(NetSocket socket, Buffer lastPlainBytes, ServerSSLOptions template) {
        return socket.upgradeToSsl(sslOptions(template), lastPlainBytes);
    }

    @Override
    public String toString() {
        return leaf().getSubjectX500Principal().getName() + " serial " + serialNumber().toString(16)
                + " valid until " + notAfter() + " from " + source;
    }
}
