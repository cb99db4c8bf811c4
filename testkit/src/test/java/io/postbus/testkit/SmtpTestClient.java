package io.postbus.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One plain SMTP session for tests (RFC 5321 §4.1): each command waits for its reply. */
final class SmtpTestClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpTestClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 5_000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        expect(220, null);
        expect(250, "EHLO client.example.org");
    }

    /** One transaction; the body must use CRLF and must not hold a line that is only a dot. */
    void send(String from, String to, String message) throws IOException {
        expect(250, "MAIL FROM:<" + from + ">");
        expect(250, "RCPT TO:<" + to + ">");
        expect(354, "DATA");
        expect(250, message + (message.endsWith("\r\n") ? "" : "\r\n") + ".");
    }

    private void expect(int code, String command) throws IOException {
        if (command != null) {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + firstLine(command));
            }
        } while (line.length() > 3 && line.charAt(3) == '-'); // RFC 5321 §4.2.1 multi-line reply
        if (!line.startsWith(Integer.toString(code))) {
            throw new IOException("expected " + code + " after " + firstLine(command) + ", got " + line);
        }
    }

    private static String firstLine(String command) {
        return command == null ? "connecting" : command.lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } finally {
            socket.close();
        }
    }
}
