package io.postbus.loadtest.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message the sink accepted.
 *
 * @param mailFrom   the reverse-path without angle brackets; "" for the null sender
 * @param recipients the forward-paths whose RCPT the sink accepted, in order
 * @param data       exactly the message bytes after dot-unstuffing, ending with CRLF (the
 *                   terminating ".CRLF" is not included). Do not modify: the array is shared.
 * @param arrivedAt  when the end-of-data dot arrived
 * @param helo       the HELO/EHLO argument of the session, or "" if the client never sent one
 */
public record ReceivedMessage(String mailFrom, List<String> recipients, byte[] data, Instant arrivedAt,
                              String helo) {

    public ReceivedMessage {
        Objects.requireNonNull(mailFrom, "mailFrom");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
        Objects.requireNonNull(helo, "helo");
    }

    public int size() {
        return data.length;
    }

    /** The bytes decoded as UTF-8, for assertions on text messages. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceivedMessage[from=<" + mailFrom + ">, to=" + recipients + ", " + data.length
                + " bytes, helo=" + helo + ", at=" + arrivedAt + "]";
    }
}
