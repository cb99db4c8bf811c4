package io.postbus.delivery.worker;

import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.smtp.DsnParameters;
import io.postbus.delivery.smtp.SmtpEnvelope;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A delivery request as the SMTP client's envelope: body type and RFC 3461 parameters included. */
final class SmtpEnvelopes {
    private SmtpEnvelopes() {}

    /** The envelope for the recipients of {@code request} still {@code pending}. */
    static SmtpEnvelope of(DeliveryRequest request, Collection<String> pending) {
        return new SmtpEnvelope(request.sender(), List.copyOf(pending), body(request.body()), dsn(request));
    }

    static SmtpEnvelope.Body body(DeliveryRequest.BodyType body) {
        return switch (body) {
            case SEVEN_BIT -> SmtpEnvelope.Body.SEVEN_BIT;
            case EIGHT_BIT_MIME -> SmtpEnvelope.Body.EIGHT_BIT_MIME;
            case BINARY_MIME -> SmtpEnvelope.Body.BINARY_MIME;
        };
    }

    /**
     * The request's strings as typed parameters. The values came from our own schema's enums, so
     * an unknown one would be a bug elsewhere; it is left out rather than written into a command.
     *
     * <p>A recipient that came without an ORCPT gets its own address as one ({@code rfc822;} or, for
     * a non-ASCII address, RFC 6533's {@code utf-8;}), as Postfix's smtp(8) does: if the next MTA
     * forwards the mail, its DSNs can still name the address the sender used with us.
     */
    static DsnParameters dsn(DeliveryRequest request) {
        Map<String, DsnParameters.Recipient> recipients = new LinkedHashMap<>();
        for (DeliveryRequest.Recipient r : request.recipients()) {
            Set<DsnParameters.Notify> notify = notify(r.notifyOn());
            String original = r.originalRecipient() != null ? r.originalRecipient() : "rfc822;" + r.address();
            recipients.putIfAbsent(r.address(), new DsnParameters.Recipient(notify, original));
        }
        return new DsnParameters(ret(request.ret()), request.envelopeId(), recipients);
    }

    private static DsnParameters.Ret ret(String ret) {
        if (ret == null) {
            return null;
        }
        try {
            return DsnParameters.Ret.valueOf(ret.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Set<DsnParameters.Notify> notify(String notifyOn) {
        EnumSet<DsnParameters.Notify> out = EnumSet.noneOf(DsnParameters.Notify.class);
        if (notifyOn == null || notifyOn.isBlank()) {
            return out;
        }
        for (String v : notifyOn.split(",")) {
            try {
                out.add(DsnParameters.Notify.valueOf(v.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                // see above
            }
        }
        if (out.contains(DsnParameters.Notify.NEVER) && out.size() > 1) {
            return EnumSet.noneOf(DsnParameters.Notify.class); // RFC 3461 §4.1: invalid, so send none
        }
        return out;
    }
}
