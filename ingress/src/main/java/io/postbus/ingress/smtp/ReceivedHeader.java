package io.postbus.ingress.smtp;

import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Our trace header (RFC 5321 §4.4), with the TLS version and cipher in a comment the way
 * RFC 8314 §7 and Postfix's {@code smtpd_tls_received_header} show them.
 */
public final class ReceivedHeader {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {}

    public static String render(String helo, String clientName, InetAddress client, String hostname, String protocol,
                                String tlsProtocol, String tlsCipher, String queueId, String singleRecipient,
                                ZonedDateTime when) {
        String ip = client.getHostAddress();
        String literal = client.getAddress().length == 16 ? "IPv6:" + ip : ip;
        StringBuilder sb = new StringBuilder("Received: from ")
                .append(clean(helo))
                .append(" (").append(clientName == null ? "unknown" : clean(clientName)).append(" [").append(literal).append("])");
        if (tlsProtocol != null) {
            sb.append("\r\n\t(using ").append(tlsProtocol).append(" with cipher ").append(tlsCipher).append(")");
        }
        sb.append("\r\n\tby ").append(hostname).append(" (Postbus) with ").append(protocol).append(" id ").append(queueId);
        if (singleRecipient != null) {
            sb.append("\r\n\tfor <").append(clean(singleRecipient)).append(">");
        }
        sb.append("; ").append(DATE.format(when)).append("\r\n");
        return sb.toString();
    }

    /** RFC 3848 "with" protocol: ESMTP, plus S after STARTTLS or on implicit TLS, plus A once authenticated. */
    public static String protocol(boolean esmtp, boolean tls, boolean authenticated) {
        if (!esmtp) {
            return "SMTP";
        }
        return "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /** Client-supplied text goes into a header: keep it printable and free of comment delimiters. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(c < 0x21 || c > 0x7e || c == '(' || c == ')' || c == '\\' ? '?' : c);
        }
        return sb.toString();
    }
}
