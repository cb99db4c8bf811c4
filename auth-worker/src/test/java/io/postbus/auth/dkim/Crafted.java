package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * Signatures with hand-written tags (expired x=, l=, t= in the future, i= in a subdomain...), correctly
 * signed with {@link DkimSigner#signTemplate}, so a verifier test fails only for the reason it is about.
 */
final class Crafted {
    private Crafted() {}

    /** {@code message} with a DKIM-Signature made of {@code tags} plus a computed bh= and b= on top. */
    static String signed(String message, PrivateKey key, String tags) {
        RawMessage raw = RawMessage.parse(message.getBytes(StandardCharsets.UTF_8));
        TagList t = TagList.parse(tags);
        String[] c = t.get("c").orElse("simple/simple").split("/");
        Canonicalization body = c.length > 1 ? Canonicalization.fromTag(c[1]).orElseThrow() : Canonicalization.SIMPLE;
        OptionalLong l = t.get("l").map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
        String bh = Base64.getEncoder().encodeToString(BodyHash.of(raw, body, l).hash());
        HeaderField template = HeaderField.of("DKIM-Signature", " " + tags + "; bh=" + bh + "; b=");
        try {
            HeaderField field = DkimSigner.signTemplate(raw, template, key);
            return new String(DkimSigner.prepend(List.of(field), raw.bytes()), StandardCharsets.UTF_8);
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
