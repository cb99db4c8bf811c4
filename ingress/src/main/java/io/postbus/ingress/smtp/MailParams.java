package io.postbus.ingress.smtp;

import io.postbus.ingress.smtp.Envelope.Body;
import io.postbus.ingress.smtp.Envelope.Ret;
import java.util.Locale;
import java.util.Map;

/** MAIL FROM parameters we advertise: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531), RET/ENVID (RFC 3461), AUTH (RFC 4954). */
final class MailParams {
    private MailParams() {}

    record Parsed(Long size, Body body, boolean smtpUtf8, Ret ret, String envelopeId, String authParam, boolean requireTls,
                  Reply error) {
        static Parsed failed(Reply r) {
            return new Parsed(null, Body.SEVEN_BIT, false, null, null, null, false, r);
        }
    }

    static Parsed parse(Map<String, String> params, long maxSize) {
        Long size = null;
        Body body = Body.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Ret ret = null;
        String envid = null;
        String auth = null;
        boolean requireTls = false;
        for (var e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "SIZE" -> {
                    if (v == null || !v.matches("\\d{1,18}")) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Bad SIZE parameter syntax"));
                    }
                    size = Long.parseLong(v);
                    if (size > maxSize) { // RFC 1870 §6.2: refuse early, before the data is sent
                        return Parsed.failed(Reply.of(552, "5.3.4", "Message size exceeds fixed limit"));
                    }
                }
                case "BODY" -> {
                    String b = v == null ? "" : v.toUpperCase(Locale.ROOT);
                    if (b.equals("7BIT")) {
                        body = Body.SEVEN_BIT;
                    } else if (b.equals("8BITMIME")) {
                        body = Body.EIGHT_BIT_MIME;
                    } else if (b.equals("BINARYMIME")) {
                        body = Body.BINARY_MIME; // RFC 3030 §3: only with BDAT
                    }
                    if (body == Body.SEVEN_BIT && !b.equals("7BIT")) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Unsupported BODY parameter"));
                    }
                }
                case "SMTPUTF8" -> {
                    if (v != null) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "SMTPUTF8 takes no value"));
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    String r = v == null ? "" : v.toUpperCase(Locale.ROOT);
                    if (!r.equals("FULL") && !r.equals("HDRS")) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Bad RET parameter syntax"));
                    }
                    ret = Ret.valueOf(r);
                }
                case "ENVID" -> {
                    envid = v == null ? null : Xtext.decode(v);
                    if (envid == null || v.length() > 100) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Bad ENVID parameter syntax"));
                    }
                }
                case "REQUIRETLS" -> { // RFC 8689 §4.1; the session checks that TLS is active
                    if (v != null) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "REQUIRETLS takes no value"));
                    }
                    requireTls = true;
                }
                case "AUTH" -> {
                    auth = v == null ? null : Xtext.decode(v);
                    if (auth == null) {
                        return Parsed.failed(Reply.of(501, "5.5.4", "Bad AUTH parameter syntax"));
                    }
                }
                default -> {
                    return Parsed.failed(Reply.of(555, "5.5.4", "Unsupported option: " + e.getKey()));
                }
            }
        }
        return new Parsed(size, body, smtpUtf8, ret, envid, auth, requireTls, null);
    }
}
