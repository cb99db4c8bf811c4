package io.postbus.loadtest.sink;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One SMTP connection of the sink. Runs entirely on its connection's event loop, so it needs no
 * locking. Lines come from a {@link RecordParser} split on CRLF only: a bare LF or CR never ends
 * a command or a data line, so "\n.\n" cannot end DATA (the SMTP smuggling trick).
 *
 * <p>Replies produced while one network read is parsed are collected and written together
 * once the read is done: a pipelined group of commands gets one write with all its replies
 * (RFC 2920 §3.2 asks servers to batch responses), and each reply is always in one write.
 */
final class SinkSession {

    private static final byte[] CRLF = {'\r', '\n'};

    private final NetSocket socket;
    private final SinkConfig config;
    private final SinkPolicy policy;
    private final Consumer<ReceivedMessage> store;
    private RecordParser parser;

    private Buffer out = Buffer.buffer(256);
    private boolean closing;
    private boolean rejected;
    private String helo = "";
    /** STARTTLS done (RFC 3207): not offered again. */
    private boolean secure;
    /** Between the 220 to STARTTLS and the finished handshake: nothing the client sent counts. */
    private boolean upgrading;

    // The mail transaction (RFC 5321 §3.3): sender set by MAIL, recipients by RCPT.
    private String mailFrom;
    private final List<String> recipients = new ArrayList<>();
    private boolean inData;
    private Buffer data;
    private boolean dataTooBig;

    SinkSession(NetSocket socket, SinkConfig config, Consumer<ReceivedMessage> store) {
        this.socket = socket;
        this.config = config;
        this.policy = config.policy();
        this.store = store;
        this.parser = newParser();
    }

    private RecordParser newParser() {
        RecordParser p = RecordParser.newDelimited("\r\n", this::onLine);
        p.maxRecordSize(config.maxLineLength());
        // The only exception RecordParser raises: a line longer than maxRecordSize.
        p.exceptionHandler(e -> lineTooLong());
        return p;
    }

    void start() {
        socket.handler(chunk -> {
            if (!closing) {
                parser.handle(chunk);
            }
            flush();
        });
        socket.exceptionHandler(e -> socket.close());
        String greeting = policy.greeting(config.hostname());
        reply(greeting);
        int code = replyCode(greeting);
        rejected = code / 100 != 2;
        closing = code == 421; // RFC 5321 §3.8: 421 means the server is closing the channel
        flush();
    }

    private void onLine(Buffer line) {
        if (closing || upgrading) {
            return;
        }
        if (line.length() > config.maxLineLength()) {
            // RecordParser only checks its limit on what is left after a read, so a long line
            // that arrives whole, CRLF included, gets here.
            lineTooLong();
            return;
        }
        try {
            if (inData) {
                onDataLine(line);
            } else {
                onCommand(line.toString(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            // A broken test policy: answer something a client understands instead of hanging.
            reply("451 4.3.0 Sink policy failed: " + e.getClass().getSimpleName());
            resetTransaction();
        }
    }

    private void lineTooLong() {
        reply("500 5.5.0 Line too long");
        closing = true;
    }

    private void onDataLine(Buffer line) {
        int length = line.length();
        if (length == 1 && line.getByte(0) == '.') {
            endOfData();
            return;
        }
        // RFC 5321 §4.5.2: remove the first of a line's leading dots.
        int from = length > 0 && line.getByte(0) == '.' ? 1 : 0;
        if (dataTooBig || data.length() + (length - from) + 2 > config.maxMessageSize()) {
            dataTooBig = true; // keep reading to the dot, then refuse: the client expects a reply there
            return;
        }
        data.appendBuffer(line, from, length - from).appendBytes(CRLF);
    }

    private void endOfData() {
        inData = false;
        if (dataTooBig) {
            reply("552 5.3.4 Message size exceeds fixed maximum message size");
        } else {
            ReceivedMessage message = new ReceivedMessage(mailFrom, recipients, data.getBytes(),
                    config.clock().instant(), helo);
            String answer = policy.onEndOfData(message);
            reply(answer);
            if (replyCode(answer) / 100 == 2) {
                store.accept(message);
            }
        }
        resetTransaction();
    }

    private void onCommand(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1);
        if (rejected && !verb.equals("QUIT")) {
            reply("503 5.5.1 Error: service refused at greeting");
            return;
        }
        switch (verb) {
            case "EHLO" -> hello(arg, true);
            case "HELO" -> hello(arg, false);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data(arg);
            case "RSET" -> {
                resetTransaction();
                reply("250 2.0.0 Ok");
            }
            case "NOOP" -> reply("250 2.0.0 Ok");
            case "VRFY" -> reply("252 2.0.0 Cannot VRFY, but will accept the message");
            case "QUIT" -> {
                reply("221 2.0.0 Bye");
                closing = true;
            }
            case "STARTTLS" -> startTls(arg);
            case "BDAT", "AUTH", "ETRN", "EXPN", "TURN" -> reply("502 5.5.1 Command not implemented");
            default -> reply("500 5.5.2 Command not recognized");
        }
    }

    private void hello(String arg, boolean extended) {
        String name = arg.trim();
        if (name.isEmpty()) {
            reply("501 5.5.4 Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
            return;
        }
        helo = name;
        resetTransaction(); // RFC 5321 §4.1.4: EHLO/HELO reset like RSET
        if (extended) {
            reply("250-" + config.hostname() + "\n250-PIPELINING\n250-SIZE " + config.maxMessageSize()
                    + (config.startTls() != null && !secure ? "\n250-STARTTLS" : "")
                    + "\n250-8BITMIME\n250-SMTPUTF8\n250-ENHANCEDSTATUSCODES\n250 DSN");
        } else {
            reply("250 " + config.hostname());
        }
    }

    /**
     * RFC 3207 §4: 220, then the handshake on this connection. Commands the client pipelined behind
     * STARTTLS are thrown away with the parser (§4.2: they are not part of the TLS session), and
     * the session starts over, as before EHLO.
     */
    private void startTls(String arg) {
        if (config.startTls() == null) {
            reply("502 5.5.1 Command not implemented");
        } else if (!arg.isBlank()) {
            reply("501 5.5.4 Syntax: STARTTLS");
        } else if (secure) {
            reply("503 5.5.1 Error: TLS already active");
        } else {
            reply("220 2.0.0 Ready to start TLS");
            // The 220 (and any reply before it) goes out as the last plain bytes, written by the
            // upgrade itself, so the TLS handler cannot get in front of it.
            Buffer lastPlain = out;
            out = Buffer.buffer(256);
            upgrading = true;
            socket.upgradeToSsl(new ServerSSLOptions().setKeyCertOptions(config.startTls()), lastPlain).onComplete(done -> {
                if (done.failed()) {
                    socket.close();
                    return;
                }
                parser = newParser();
                upgrading = false;
                secure = true;
                helo = "";
                resetTransaction();
            });
        }
    }

    private void mail(String arg) {
        if (mailFrom != null) {
            reply("503 5.5.1 Error: nested MAIL command");
            return;
        }
        PathArgument path = PathArgument.parse(arg, "FROM:");
        if (path == null) {
            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            return;
        }
        long declared = path.sizeParameter();
        if (declared > config.maxMessageSize()) {
            reply("552 5.3.4 Message size exceeds fixed limit");
            return;
        }
        String answer = policy.onMail(path.address());
        reply(answer);
        if (replyCode(answer) / 100 == 2) {
            mailFrom = path.address();
        }
    }

    private void rcpt(String arg) {
        if (mailFrom == null) {
            reply("503 5.5.1 Error: need MAIL command");
            return;
        }
        PathArgument path = PathArgument.parse(arg, "TO:");
        if (path == null || path.address().isEmpty()) {
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
            return;
        }
        String answer = policy.onRcpt(path.address());
        reply(answer);
        if (replyCode(answer) / 100 == 2) {
            recipients.add(path.address());
        }
    }

    private void data(String arg) {
        if (!arg.isBlank()) {
            reply("501 5.5.4 Syntax: DATA");
        } else if (mailFrom == null) {
            reply("503 5.5.1 Error: need MAIL command");
        } else if (recipients.isEmpty()) {
            reply("554 5.5.1 Error: no valid recipients");
        } else {
            inData = true;
            data = Buffer.buffer(8 * 1024);
            dataTooBig = false;
            reply("354 End data with <CR><LF>.<CR><LF>");
        }
    }

    private void resetTransaction() {
        mailFrom = null;
        recipients.clear();
        data = null;
        dataTooBig = false;
    }

    /** Queues a reply; lines separated by "\n" become a multi-line reply (RFC 5321 §4.2.1). */
    private void reply(String text) {
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.length() > 3) {
                char separator = i == lines.length - 1 ? ' ' : '-';
                line = line.substring(0, 3) + separator + line.substring(4);
            }
            out.appendString(line, "UTF-8").appendBytes(CRLF);
        }
    }

    private void flush() {
        if (out.length() > 0) {
            socket.write(out);
            out = Buffer.buffer(256);
        }
        if (closing) {
            socket.end();
        }
    }

    private static int replyCode(String reply) {
        if (reply.length() < 3) {
            throw new IllegalArgumentException("SinkPolicy reply without a code: " + reply);
        }
        try {
            int code = Integer.parseInt(reply.substring(0, 3));
            if (code < 200 || code > 599) {
                throw new IllegalArgumentException("SinkPolicy reply code out of range: " + reply);
            }
            return code;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SinkPolicy reply without a code: " + reply, e);
        }
    }
}
