package io.postbus.delivery.smtp;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that plays a fixed script per connection, for the dialogues real servers will not
 * produce on demand: silence, garbage, a connection cut mid-reply, a broken TLS handshake.
 * Connection i runs script i (the last script repeats).
 */
public final class ScriptedServer implements AutoCloseable {

    public interface Script {
        void run(Peer peer) throws Exception;
    }

    private final ServerSocket server;
    private final List<Script> scripts;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public ScriptedServer(Script... scripts) throws IOException {
        this(InetAddress.getLoopbackAddress(), 0, scripts);
    }

    /** Listening on a chosen address and port (0: any free port), e.g. a second MX on 127.0.0.2. */
    public ScriptedServer(InetAddress bind, int port, Script... scripts) throws IOException {
        this.scripts = List.of(scripts);
        server = new ServerSocket(port, 50, bind);
        Thread acceptor = new Thread(this::acceptLoop, "scripted-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public int connections() {
        return connections.get();
    }

    /** Failures inside the scripts (assertions included), to check at the end of a test. */
    public List<Throwable> errors() {
        return errors;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int index = connections.getAndIncrement();
                Script script = scripts.get(Math.min(index, scripts.size() - 1));
                Thread t = new Thread(() -> {
                    try (Socket socket = s) {
                        socket.setSoTimeout(10_000);
                        script.run(new Peer(socket));
                    } catch (Throwable e) {
                        if (!server.isClosed()) {
                            errors.add(e);
                        }
                    }
                }, "scripted-smtp-" + index);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** The server side of one connection. */
    public static final class Peer {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private List<String> serverNames = List.of();

        Peer(Socket socket) throws IOException {
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        /** Sends raw text; the script writes the CRLFs, so it can also send broken ones. */
        public void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One line without its CRLF, or null at end of stream. */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                if (prev == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                line.write(b);
                prev = b;
            }
        }

        /** Reads a line and checks that it starts with {@code prefix}. */
        public String expect(String prefix) throws IOException {
            String line = readLine();
            if (line == null || !line.startsWith(prefix)) {
                throw new AssertionError("expected \"" + prefix + "...\" but the client sent " + line);
            }
            return line;
        }

        /** Reads DATA up to the lone dot, un-stuffed, as raw bytes. */
        public byte[] readData() throws IOException {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("client closed inside DATA");
                }
                line.write(b);
                if (prev == '\r' && b == '\n') {
                    byte[] l = line.toByteArray();
                    if (l.length == 3 && l[0] == '.') {
                        return data.toByteArray();
                    }
                    int from = l[0] == '.' ? 1 : 0;
                    data.write(l, from, l.length - from);
                    line.reset();
                }
                prev = b;
            }
        }

        /** Exactly {@code n} raw bytes: a BDAT chunk (RFC 3030 §2). */
        public byte[] readBytes(int n) throws IOException {
            byte[] bytes = in.readNBytes(n);
            if (bytes.length != n) {
                throw new AssertionError("client closed after " + bytes.length + " of " + n + " chunk bytes");
            }
            return bytes;
        }

        /** Reads "BDAT n[ LAST]" and its n bytes; checks LAST is there exactly when {@code last}. */
        public byte[] readChunk(boolean last) throws IOException {
            String line = expect("BDAT ");
            String[] words = line.split(" ");
            boolean isLast = words.length == 3 && words[2].equals("LAST");
            if (isLast != last || words.length > 3 || (words.length == 3 && !isLast)) {
                throw new AssertionError("expected a " + (last ? "LAST " : "") + "chunk but got: " + line);
            }
            return readBytes(Integer.parseInt(words[1]));
        }

        /** Server side of STARTTLS after the 220: handshake with the given context. */
        public void startTls(SSLContext context) throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            if (ssl.getSession() instanceof ExtendedSSLSession ext) {
                serverNames = ext.getRequestedServerNames().stream()
                        .map(n -> n instanceof SNIHostName h ? h.getAsciiName() : n.toString()).toList();
            }
            attach(ssl);
        }

        /** The client's address and port as this server sees them: where a bound client came from. */
        public InetSocketAddress remoteAddress() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }

        /** The SNI host names the client sent in its TLS ClientHello (RFC 6066 §3). */
        public List<String> serverNames() {
            return serverNames;
        }

        public void close() throws IOException {
            socket.close();
        }
    }
}
