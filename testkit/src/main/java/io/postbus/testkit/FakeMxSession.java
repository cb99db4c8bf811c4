package io.postbus.testkit;

import io.postbus.testkit.FakeMx.Command;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One SMTP (or LMTP) connection to a {@link FakeMx}: the RFC 5321 command sequence, answered from its script. */
final class FakeMxSession {
    private static final Pattern PATH = Pattern.compile("(?i)^(MAIL FROM|RCPT TO):\\s*<([^>]*)>.*$");
    private static final int MAX_LINE = 64 * 1024;

    private final FakeMx mx;
    private final Socket socket;
    private final int connection;
    private InputStream in;
    private OutputStream out;
    private String helo = "";
    private String mailFrom; // null: no transaction open
    private boolean lmtp; // after LHLO: one reply per recipient at the end of the data (RFC 2033 §4.2)
    private final List<FakeMx.RcptAttempt> accepted = new ArrayList<>();

    FakeMxSession(FakeMx mx, Socket socket, int connection) {
        this.mx = mx;
        this.socket = socket;
        this.connection = connection;
    }

    void run() {
        try {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            if (!answer(Command.GREETING, mx.replyTo(Command.GREETING)) || !mx.replyTo(Command.GREETING).startsWith("2")) {
                return; // a 554 greeting: RFC 5321 §3.1 lets the client only QUIT; we hang up
            }
            byte[] line;
            while ((line = readLine()) != null) {
                // UTF-8, since the server offers SMTPUTF8 (RFC 6531 §3.2): addresses may be non-ASCII.
                if (!command(new String(line, StandardCharsets.UTF_8).stripTrailing())) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to record
        }
    }

    /** Handles one command line; false to end the connection. */
    private boolean command(String line) throws IOException {
        String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO", "HELO", "LHLO" -> {
                helo = line.length() > 5 ? line.substring(5).trim() : "";
                mailFrom = null;
                accepted.clear();
                lmtp = verb.equals("LHLO");
                Command c = verb.equals("HELO") ? Command.HELO : Command.EHLO;
                return answer(c, mx.replyTo(c));
            }
            case "MAIL" -> {
                Matcher m = PATH.matcher(line);
                if (!m.matches() || !m.group(1).toUpperCase(Locale.ROOT).startsWith("MAIL")) {
                    return answer(Command.MAIL, "501 5.5.4 Syntax: MAIL FROM:<address>");
                }
                if (mailFrom != null) {
                    return answer(Command.MAIL, "503 5.5.1 Error: nested MAIL command");
                }
                String reply = mx.replyTo(Command.MAIL);
                if (reply.startsWith("2")) {
                    mailFrom = m.group(2);
                }
                return answer(Command.MAIL, reply);
            }
            case "RCPT" -> {
                Matcher m = PATH.matcher(line);
                if (!m.matches() || !m.group(1).toUpperCase(Locale.ROOT).startsWith("RCPT")) {
                    return answer(Command.RCPT, "501 5.5.4 Syntax: RCPT TO:<address>");
                }
                if (mailFrom == null) {
                    return answer(Command.RCPT, "503 5.5.1 Error: need MAIL command");
                }
                if (mx.dropsAt(Command.RCPT)) {
                    return false; // before counting: a dropped RCPT got no answer, so it was no attempt
                }
                FakeMx.RcptAttempt a = mx.rcptAttempt(connection, m.group(2));
                if (a.reply().startsWith("2")) {
                    accepted.add(a);
                }
                return answer(Command.RCPT, a.reply());
            }
            case "DATA" -> {
                if (mailFrom == null) {
                    return answer(Command.DATA, "503 5.5.1 Error: need MAIL command");
                }
                if (accepted.isEmpty()) {
                    return answer(Command.DATA, "554 5.5.1 Error: no valid recipients");
                }
                String go = mx.replyTo(Command.DATA);
                if (!answer(Command.DATA, go)) {
                    return false;
                }
                return go.startsWith("3") ? data() : true;
            }
            case "RSET" -> {
                mailFrom = null;
                accepted.clear();
                return answer(Command.RSET, mx.replyTo(Command.RSET));
            }
            case "NOOP" -> {
                return answer(Command.NOOP, mx.replyTo(Command.NOOP));
            }
            case "QUIT" -> {
                answer(Command.QUIT, mx.replyTo(Command.QUIT));
                return false;
            }
            default -> {
                write("502 5.5.2 Error: command not recognized");
                return true;
            }
        }
    }

    /**
     * Reads the message up to CRLF "." CRLF, unstuffing (RFC 5321 §4.5.2), then answers the dot.
     * Only CRLF starts a line (§2.3.8): after a bare LF a dot is data, neither stuffing nor the end,
     * so a message with bare LFs or CRs arrives byte for byte, as a strict receiver would take it.
     */
    private boolean data() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] line;
        boolean lineStart = true; // the data begins a line: the 354 reply's CRLF came before it
        while ((line = readLine()) != null) {
            boolean dotFirst = lineStart && line.length > 0 && line[0] == '.';
            lineStart = line.length >= 2 && line[line.length - 2] == '\r' && line[line.length - 1] == '\n';
            if (dotFirst && line.length == 3 && lineStart) {
                // A dropped final dot is recorded with no reply: the data arrived, the client never heard.
                String reply = mx.dropsAt(Command.DATA_END) ? "" : mx.replyTo(Command.DATA_END);
                mx.record(new FakeMx.Transaction(connection, helo, lmtp, mailFrom, FakeMx.recipientsOf(accepted),
                        FakeMx.attemptsOf(accepted), message.toByteArray(), mx.now(), reply));
                int replies = lmtp ? accepted.size() : 1;
                mailFrom = null;
                accepted.clear();
                for (int i = 0; i < replies; i++) {
                    if (!answer(Command.DATA_END, reply)) {
                        return false;
                    }
                }
                return true;
            }
            message.write(line, dotFirst ? 1 : 0, dotFirst ? line.length - 1 : line.length);
        }
        return false; // the connection ended inside the data: no transaction
    }

    /** Stalls, drops or writes {@code reply} as {@code command}'s script says; false when dropped. */
    private boolean answer(Command command, String reply) throws IOException {
        if (mx.dropsAt(command)) {
            return false;
        }
        Duration stall = mx.stallOf(command);
        if (!stall.isZero()) {
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        write(reply);
        return true;
    }

    private void write(String reply) throws IOException {
        out.write((reply.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line with its line ending, as sent; null at the end of the stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("line too long");
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
