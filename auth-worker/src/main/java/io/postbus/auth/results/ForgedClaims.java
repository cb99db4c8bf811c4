package io.postbus.auth.results;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Removes incoming Authentication-Results and ARC-Authentication-Results fields that claim our
 * authserv-id (RFC 8601 §5: a receiver must not trust, and should delete, results it did not write),
 * so the one header we add is the only one with our name on it. Every other byte is kept.
 */
public final class ForgedClaims {
    private ForgedClaims() {}

    /** What was removed and the message without it. */
    public record Removal(byte[] message, int removed) {}

    public static Removal remove(RawMessage message, String authservId) {
        List<HeaderField> headers = message.headers();
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.bytes().length);
        int removed = 0;
        for (HeaderField h : headers) {
            if (claimsOurs(h, authservId)) {
                removed++;
            } else {
                out.writeBytes(h.raw());
            }
        }
        if (removed == 0) {
            return new Removal(message.bytes(), 0);
        }
        int headerEnd = headers.stream().mapToInt(HeaderField::length).sum();
        out.write(message.bytes(), headerEnd, message.bytes().length - headerEnd);
        return new Removal(out.toByteArray(), removed);
    }

    static boolean claimsOurs(HeaderField h, String authservId) {
        Optional<String> id;
        if (h.hasName(AuthenticationResultsHeader.NAME)) {
            id = AuthservId.ofAuthenticationResults(h.unfoldedValue());
        } else if (h.hasName("ARC-Authentication-Results")) {
            id = AuthservId.ofArcAuthenticationResults(h.unfoldedValue());
        } else {
            return false;
        }
        return id.isPresent() && AuthservId.same(id.get(), authservId);
    }
}
