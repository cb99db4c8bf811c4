package io.postbus.loadtest.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A socket that writes exactly the bytes a test gives it and reads SMTP replies back. */
final class RawSmtpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawSmtpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one complete (possibly multi-line) reply and returns its lines. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return lines;
            }
        }
    }

    /** The last line of each of the next {@code n} replies. */
    List<String> replies(int n) throws IOException {
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> r = reply();
            finals.add(r.get(r.size() - 1));
        }
        return finals;
    }

    /** True when the server closed the connection (read returns end of stream). */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            buf.write(b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
