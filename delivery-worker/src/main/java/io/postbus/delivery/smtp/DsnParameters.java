package io.postbus.delivery.smtp;

import io.postbus.core.dsn.Utf8AddrXtext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The RFC 3461 parameters of one message, as received, to pass on to a server that offers DSN:
 * RET and ENVID on MAIL FROM, NOTIFY and ORCPT on each RCPT TO. Values are kept decoded and
 * xtext-encoded when the command is written.
 *
 * @param ret        RET= (§4.3), null when not given
 * @param envelopeId ENVID= decoded (§4.4), null when not given
 * @param recipients NOTIFY and ORCPT by recipient address; a recipient missing here has neither
 */
public record DsnParameters(Ret ret, String envelopeId, Map<String, Recipient> recipients) {
    /** RFC 3461 §4.4: ENVID is at most 100 characters (encoded). */
    static final int MAX_ENVID = 100;
    /** RFC 3461 §4.2: the ORCPT parameter is at most 500 characters. */
    static final int MAX_ORCPT = 500;
    /** RFC 3461 §4.2 addr-type is an atom; we accept the registered kinds' characters. */
    private static final Pattern ADDR_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    public static final DsnParameters NONE = new DsnParameters(null, null, Map.of());

    public enum Ret { FULL, HDRS }

    public enum Notify { SUCCESS, FAILURE, DELAY, NEVER }

    /**
     * @param notifyOn          NOTIFY= (§4.1), empty when not given
     * @param originalRecipient ORCPT= as "addr-type;address" with the address decoded (§4.2), null when not given
     */
    public record Recipient(Set<Notify> notifyOn, String originalRecipient) {
        public Recipient {
            notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
            if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
                throw new IllegalArgumentException("NOTIFY=NEVER stands alone (RFC 3461 §4.1): " + notifyOn);
            }
        }
    }

    public DsnParameters {
        recipients = Map.copyOf(recipients);
    }

    /** " RET=... ENVID=..." for MAIL FROM, "" when neither was given. */
    String mailParameters() {
        StringBuilder b = new StringBuilder();
        if (ret != null) {
            b.append(" RET=").append(ret.name());
        }
        if (envelopeId != null) {
            String encoded = Xtext.encode(envelopeId);
            // Longer than the limit only if it did not come in through our ingress: better to
            // drop the identifier than have the whole message refused with 501.
            if (encoded.length() <= MAX_ENVID) {
                b.append(" ENVID=").append(encoded);
            }
        }
        return b.toString();
    }

    /** " NOTIFY=... ORCPT=..." for this recipient's RCPT TO, "" when it has neither. */
    String rcptParameters(String address) {
        Recipient r = recipients.get(address);
        if (r == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (!r.notifyOn().isEmpty()) {
            // In a fixed order, so the command does not depend on set iteration.
            b.append(" NOTIFY=").append(String.join(",", EnumSet.copyOf(r.notifyOn()).stream().map(Enum::name).toList()));
        }
        String orcpt = orcpt(r.originalRecipient());
        if (orcpt != null) {
            b.append(" ORCPT=").append(orcpt);
        }
        return b.toString();
    }

    /**
     * addr-type ";" xtext (RFC 3461 §4.2), or null when absent or not sendable. An address with
     * non-ASCII characters goes as RFC 6533's "utf-8" type in its utf-8-addr-xtext form, which is
     * safe whether or not the server offered SMTPUTF8; a "utf-8" value we received in either form
     * (xtext with {@code \x{HEX}}, or raw UTF-8 under SMTPUTF8) is normalized to that form too.
     */
    private static String orcpt(String original) {
        if (original == null || original.isEmpty()) {
            return null;
        }
        int semi = original.indexOf(';');
        String type = semi < 0 ? "rfc822" : original.substring(0, semi);
        String address = semi < 0 ? original : original.substring(semi + 1);
        if (!ADDR_TYPE.matcher(type).matches() || address.isEmpty()) {
            return null;
        }
        boolean utf8Type = type.equalsIgnoreCase(Utf8AddrXtext.ADDR_TYPE);
        String value;
        if (utf8Type || (type.equalsIgnoreCase("rfc822") && !isAscii(address))) {
            String decoded = utf8Type ? Utf8AddrXtext.decode(address) : address;
            if (decoded == null) {
                return null; // a malformed \x{...}: better no ORCPT than a 501 for the whole recipient
            }
            value = Utf8AddrXtext.ADDR_TYPE + ";" + Utf8AddrXtext.encode(decoded);
        } else {
            value = type + ";" + Xtext.encode(address);
        }
        return ("ORCPT=" + value).length() <= MAX_ORCPT ? value : null;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    public boolean isEmpty() {
        return ret == null && envelopeId == null && recipients.values().stream()
                .allMatch(r -> r.notifyOn().isEmpty() && r.originalRecipient() == null);
    }
}
