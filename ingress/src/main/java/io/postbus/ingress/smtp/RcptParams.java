package io.postbus.ingress.smtp;

import io.postbus.ingress.smtp.Envelope.Notify;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** RCPT TO parameters we advertise: NOTIFY and ORCPT (RFC 3461 §4.1, §4.2). */
final class RcptParams {
    private RcptParams() {}

    record Parsed(Set<Notify> notifyOn, String originalRecipient, Reply error) {
        static Parsed failed(Reply r) {
            return new Parsed(Set.of(), null, r);
        }
    }

    static Parsed parse(Map<String, String> params, boolean esmtp) {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = null;
        for (var e : params.entrySet()) {
            switch (e.getKey()) {
                case "NOTIFY" -> {
                    if (!esmtp || !parseNotify(e.getValue(), notify)) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Error: bad NOTIFY parameter syntax"));
                    }
                }
                case "ORCPT" -> {
                    orcpt = e.getValue() == null ? null : parseOrcpt(e.getValue());
                    if (orcpt == null || !esmtp) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Error: bad ORCPT parameter syntax"));
                    }
                }
                default -> {
                    return Parsed.failed(Reply.of(555, "5.5.4", "Unsupported option: " + e.getKey()));
                }
            }
        }
        return new Parsed(notify, orcpt, null);
    }

    private static boolean parseNotify(String value, Set<Notify> out) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (String v : value.toUpperCase(Locale.ROOT).split(",")) {
            try {
                out.add(Notify.valueOf(v));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return !(out.contains(Notify.NEVER) && out.size() > 1); // RFC 3461 §4.1: NEVER stands alone
    }

    /** addr-type ";" xtext (RFC 3461 §4.2), kept as type;decoded-address. */
    private static String parseOrcpt(String value) {
        int semi = value.indexOf(';');
        if (semi <= 0) {
            return null;
        }
        String decoded = Xtext.decode(value.substring(semi + 1));
        return decoded == null ? null : value.substring(0, semi) + ";" + decoded;
    }
}
