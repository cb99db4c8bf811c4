package io.postbus.loadtest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** STARTTLS on the sink (RFC 3207), from a plain JDK client, so benchmarks can deliver to it with TLS. */
class SmtpSinkStartTlsTest {

    @Test
    void startTlsUpgradesTheSessionAndTheMessageIsCountedAfterIt() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("sink.postbus.test");
        try (SmtpSink sink = SmtpSink.start(SinkConfig.defaults().withStartTls(cert.keyCertOptions()));
             Socket plain = new Socket("127.0.0.1", sink.port())) {
            plain.setSoTimeout(10_000);
            BufferedReader in = reader(plain);
            OutputStream out = plain.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            send(out, "EHLO client.test");
            assertThat(reply(in)).contains("250-STARTTLS"); // RFC 3207 §4: offered in the EHLO reply
            send(out, "STARTTLS");
            assertThat(reply(in)).containsExactly("220 2.0.0 Ready to start TLS");

            SSLSocket tls = (SSLSocket) trustingEveryone().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", sink.port(), true);
            tls.startHandshake();
            assertThat(tls.getSession().getProtocol()).startsWith("TLSv1.");
            BufferedReader tin = reader(tls);
            OutputStream tout = tls.getOutputStream();
            // RFC 3207 §4.2: the session starts over; STARTTLS is not offered a second time.
            send(tout, "EHLO after.tls.test");
            assertThat(reply(tin)).doesNotContain("250-STARTTLS").contains("250 DSN");
            send(tout, "MAIL FROM:<a@example.org>");
            send(tout, "RCPT TO:<b@example.net>");
            send(tout, "DATA");
            assertThat(reply(tin)).singleElement().asString().startsWith("250 ");
            assertThat(reply(tin)).singleElement().asString().startsWith("250 ");
            assertThat(reply(tin)).singleElement().asString().startsWith("354 ");
            send(tout, "Subject: over TLS\r\n\r\nbody\r\n.");
            assertThat(reply(tin)).singleElement().asString().startsWith("250 ");
            assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
            assertThat(sink.messages().get(0).text()).isEqualTo("Subject: over TLS\r\n\r\nbody\r\n");
            assertThat(sink.messages().get(0).helo()).as("the EHLO name from after the upgrade").isEqualTo("after.tls.test");
        }
    }

    @Test
    void withoutAKeyStartTlsIsNeitherOfferedNorAccepted() throws Exception {
        try (SmtpSink sink = SmtpSink.start(); Socket s = new Socket("127.0.0.1", sink.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            in.readLine();
            send(out, "EHLO client.test");
            assertThat(reply(in)).doesNotContain("250-STARTTLS");
            send(out, "STARTTLS");
            assertThat(reply(in)).singleElement().asString().startsWith("502 ");
        }
    }

    private static BufferedReader reader(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One reply, all its lines (RFC 5321 §4.2.1: "250-" continues, "250 " ends). */
    private static List<String> reply(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            lines.add(line);
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    /** The sink's certificate is self-signed; the test checks the protocol, not the trust. */
    private static SSLContext trustingEveryone() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
