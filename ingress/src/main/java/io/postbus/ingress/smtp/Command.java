package io.postbus.ingress.smtp;

import java.util.Map;

/** One parsed SMTP command (RFC 5321 §4.1). Arguments are validated by the parser. */
public sealed interface Command {
    record Ehlo(String domain) implements Command {}

    record Helo(String domain) implements Command {}

    /** @param params ESMTP parameters, keys upper-cased; values as sent (null for a bare keyword) */
    record Mail(String reversePath, Map<String, String> params) implements Command {}

    record Rcpt(String forwardPath, Map<String, String> params) implements Command {}

    record Data() implements Command {}

    record Rset() implements Command {}

    record Noop() implements Command {}

    record Quit() implements Command {}

    record Vrfy(String argument) implements Command {}

    record Help() implements Command {}

    record StartTls() implements Command {}

    /** RFC 4954 §4: AUTH mechanism [initial-response]; the response is null when not given. */
    record Auth(String mechanism, String initialResponse) implements Command {
        @Override
        public String toString() {
            return "Auth[" + mechanism + "]"; // never the credentials
        }
    }

    /** RFC 3030 §2: a chunk of {@code size} octets follows the command line, the last one if {@code last}. */
    record Bdat(long size, boolean last) implements Command {}

    /** A line we could not accept: the reply says why. */
    record Invalid(Reply reply) implements Command {}
}
