package io.postbus.ingress.smtp;

import io.postbus.ingress.auth.Mechanisms;
import java.util.ArrayList;
import java.util.List;

/** The EHLO reply: our name, then the extensions this session may use now (RFC 5321 §4.1.1.1). */
final class EhloKeywords {
    private EhloKeywords() {}

    static Reply reply(SessionSettings settings, boolean tls, boolean authConfigured) {
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        if (settings.tlsAvailable() && !tls) {
            lines.add("STARTTLS");
        }
        if (tls) {
            lines.add("REQUIRETLS"); // RFC 8689 §4: advertised only on a TLS session
        }
        if (authConfigured && tls) { // AUTH only over TLS: never offer a password in clear
            lines.add("AUTH " + Mechanisms.ehloParameters());
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        lines.add("BINARYMIME");
        lines.add("CHUNKING");
        lines.add("DSN");
        lines.add("SMTPUTF8");
        return new Reply(250, null, lines);
    }
}
