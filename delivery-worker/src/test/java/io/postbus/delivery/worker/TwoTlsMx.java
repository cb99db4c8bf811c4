package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.ScriptedServer;
import java.io.IOException;
import java.net.InetAddress;
import javax.net.ssl.SSLContext;

/**
 * Two MX hosts of example.test, mx1 on 127.0.0.1 and mx2 on 127.0.0.2 with the same port, each
 * offering STARTTLS with its own certificate and taking one message over TLS.
 */
record TwoTlsMx(ScriptedServer mx1, ScriptedServer mx2) implements AutoCloseable {

    static TwoTlsMx start(SSLContext mx1, SSLContext mx2) throws IOException {
        ScriptedServer first = new ScriptedServer(InetAddress.getByName("127.0.0.1"), 0, script("mx1.example.test", mx1));
        ScriptedServer second = new ScriptedServer(InetAddress.getByName("127.0.0.2"), first.address().getPort(),
                script("mx2.example.test", mx2));
        return new TwoTlsMx(first, second);
    }

    int port() {
        return mx1.address().getPort();
    }

    @Override
    public void close() throws IOException {
        mx1.close();
        mx2.close();
    }

    /** Offers STARTTLS and takes the message over TLS with {@code tls}; the client may hang up at the handshake. */
    static ScriptedServer.Script script(String name, SSLContext tls) {
        return peer -> {
            peer.send("220 " + name + " ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-" + name + "\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready\r\n");
            try {
                peer.startTls(tls);
                peer.expect("EHLO");
            } catch (IOException refusedByClient) {
                return;
            }
            peer.send("250 " + name + "\r\n");
            peer.expect("MAIL FROM:");
            peer.send("250 ok\r\n");
            peer.expect("RCPT TO:");
            peer.send("250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued by " + name + "\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        };
    }
}
