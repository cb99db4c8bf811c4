package io.postbus.auth.arc;

import io.postbus.auth.message.HeaderField;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;

/**
 * A new ARC Set made by {@link ArcSealer}, ready to be prepended to the message.
 *
 * @param instance              its i=
 * @param authenticationResults the ARC-Authentication-Results field
 * @param messageSignature      the ARC-Message-Signature field
 * @param seal                  the ARC-Seal field
 */
public record ArcSetHeaders(int instance, HeaderField authenticationResults, HeaderField messageSignature, HeaderField seal) {

    public ArcSetHeaders {
        if (instance < 1 || instance > ArcChain.MAX_INSTANCE) {
            throw new IllegalArgumentException("instance out of range: " + instance);
        }
        Objects.requireNonNull(authenticationResults, "authenticationResults");
        Objects.requireNonNull(messageSignature, "messageSignature");
        Objects.requireNonNull(seal, "seal");
    }

    /** The fields top first, as they go on the message: ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results. */
    public List<HeaderField> topDown() {
        return List.of(seal, messageSignature, authenticationResults);
    }

    /** The message with this set on top. Nothing may change the message after sealing (RFC 8617 §5.1). */
    public byte[] prependTo(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 1024);
        for (HeaderField f : topDown()) {
            out.writeBytes(f.raw());
        }
        out.writeBytes(message);
        return out.toByteArray();
    }
}
