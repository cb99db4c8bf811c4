package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs messages (RFC 6376 §5) with one or more keys: one DKIM-Signature per key, each over the original
 * message, so an RSA and an Ed25519 signature can be added at once (RFC 8463 §3 recommends both while
 * verifiers catch up), or two selectors during a key rotation.
 */
public final class DkimSigner {
    /** The field name as it is written. */
    public static final String FIELD = "DKIM-Signature";

    /**
     * What OpenDKIM signs by default (RFC 6376 §5.4.1's list) plus the MIME fields: each present instance is
     * signed; absent ones are left out so that h= stays short.
     */
    public static final List<String> DEFAULT_SIGNED_HEADERS = List.of(
            "from", "reply-to", "subject", "date", "to", "cc",
            "resent-date", "resent-from", "resent-sender", "resent-to", "resent-cc",
            "in-reply-to", "references",
            "list-id", "list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner", "list-archive",
            "mime-version", "content-type", "content-transfer-encoding", "content-id", "content-description",
            "message-id", "sender");

    /**
     * Names listed once more than they occur (RFC 6376 §8.15): a From added in transit then breaks the
     * signature instead of riding on it.
     */
    public static final List<String> DEFAULT_OVERSIGNED_HEADERS = List.of("from");

    /**
     * @param headerCanonicalization c= header half (relaxed by default: survives refolding in transit)
     * @param bodyCanonicalization   c= body half (relaxed by default)
     * @param signedHeaders          names to sign when present, lower case
     * @param oversignedHeaders      names to list once more than they occur; must be among {@code signedHeaders}
     * @param signatureLifetime      when present, x= is t= plus this
     */
    public record Settings(Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
                           List<String> signedHeaders, List<String> oversignedHeaders,
                           Optional<Duration> signatureLifetime) {
        public Settings {
            Objects.requireNonNull(headerCanonicalization, "headerCanonicalization");
            Objects.requireNonNull(bodyCanonicalization, "bodyCanonicalization");
            signedHeaders = lowerCase(signedHeaders);
            oversignedHeaders = lowerCase(oversignedHeaders);
            if (!signedHeaders.contains("from")) {
                throw new IllegalArgumentException("From must be signed (RFC 6376 §5.4)");
            }
            if (!signedHeaders.containsAll(oversignedHeaders)) {
                throw new IllegalArgumentException("oversigned headers must also be signed: " + oversignedHeaders);
            }
            Objects.requireNonNull(signatureLifetime, "signatureLifetime");
            if (signatureLifetime.isPresent() && (signatureLifetime.get().getSeconds() < 1)) {
                throw new IllegalArgumentException("signatureLifetime must be at least one second");
            }
        }

        public static Settings defaults() {
            return new Settings(Canonicalization.RELAXED, Canonicalization.RELAXED, DEFAULT_SIGNED_HEADERS,
                    DEFAULT_OVERSIGNED_HEADERS, Optional.empty());
        }

        public Settings withCanonicalization(Canonicalization header, Canonicalization body) {
            return new Settings(header, body, signedHeaders, oversignedHeaders, signatureLifetime);
        }

        public Settings withSignatureLifetime(Duration lifetime) {
            return new Settings(headerCanonicalization, bodyCanonicalization, signedHeaders, oversignedHeaders,
                    Optional.of(lifetime));
        }

        private static List<String> lowerCase(List<String> names) {
            Set<String> out = new LinkedHashSet<>();
            for (String n : names) {
                out.add(n.strip().toLowerCase(Locale.ROOT));
            }
            return List.copyOf(out);
        }
    }

    /** A message the signer refuses: permanent, the same message would be refused again. */
    public static final class UnsignableMessageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnsignableMessageException(String message) {
            super(message);
        }
    }

    private final List<DkimSigningKey> keys;
    private final Settings settings;
    private final Clock clock;

    public DkimSigner(List<DkimSigningKey> keys, Settings settings, Clock clock) {
        this.keys = List.copyOf(keys);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The DKIM-Signature fields to put on top of the message, one per key, in key order.
     *
     * @throws UnsignableMessageException when the message has no From field (RFC 6376 §5.4: From must be signed)
     */
    public List<HeaderField> sign(RawMessage message) throws UnsignableMessageException {
        if (message.headers("From").isEmpty()) {
            throw new UnsignableMessageException("the message has no From field, which DKIM must sign");
        }
        List<String> names = headerNames(message);
        List<HeaderField> signed = SignedHeaders.select(message.headers(), names, null);
        long now = clock.instant().getEpochSecond();
        String bodyHash = Base64.getEncoder().encodeToString(
                BodyHash.of(message, settings.bodyCanonicalization(), OptionalLong.empty()).hash());
        List<HeaderField> out = new ArrayList<>(keys.size());
        for (DkimSigningKey key : keys) {
            out.add(signOne(key, names, signed, now, bodyHash));
        }
        return List.copyOf(out);
    }

    /** The message with {@code fields} put on top, as a signer or forwarder emits it. */
    public static byte[] prepend(List<HeaderField> fields, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 1024);
        for (HeaderField f : fields) {
            out.writeBytes(f.raw());
        }
        out.writeBytes(message);
        return out.toByteArray();
    }

    private HeaderField signOne(DkimSigningKey key, List<String> names, List<HeaderField> signed, long now,
                                String bodyHash) {
        TagFolder folder = new TagFolder(FIELD)
                .plain("v", "1")
                .plain("a", key.algorithm().tagValue())
                .plain("c", settings.headerCanonicalization().tagValue() + "/" + settings.bodyCanonicalization().tagValue())
                .plain("d", key.domain())
                .plain("s", key.selector());
        key.identity().ifPresent(i -> folder.plain("i", encodeQuotedPrintable(i)));
        folder.plain("t", Long.toString(now));
        settings.signatureLifetime().ifPresent(l -> folder.plain("x", Long.toString(now + l.getSeconds())));
        folder.colonList("h", names).base64("bh", bodyHash);
        String unsigned = folder.openLastTag("b");
        HeaderField template = new HeaderField((unsigned + "\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] input = SignedHeaders.hashInput(settings.headerCanonicalization(), signed, template);
        byte[] signature;
        try {
            signature = key.algorithm().sign(key.privateKey(), input);
        } catch (InvalidKeyException e) {
            // DkimSigningKey checked that key and algorithm fit; a provider refusing it is a setup fault.
            throw new IllegalStateException("cannot sign with " + key, e);
        }
        String field = folder.withValue(Base64.getEncoder().encodeToString(signature));
        return new HeaderField(field.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Completes a DKIM-Signature whose tags are all written already: computes b= over {@code message} with
     * the a=, c= and h= the template names, and puts it in the template's b= (whose old value, if any, is
     * replaced). bh= and everything else are taken as they are. For reproducing published examples byte for
     * byte (RFC 8463 Appendix A) and for signatures with tags this signer does not write (l=, z=).
     *
     * @throws MalformedTagListException when the template lacks a=, h= or b=, or names an unknown algorithm
     */
    public static HeaderField signTemplate(RawMessage message, HeaderField template, PrivateKey key)
            throws InvalidKeyException {
        TagList tags = TagList.parse(template.unfoldedValue());
        SigningAlgorithm algorithm = SigningAlgorithm.fromTag(tags.require("a"))
                .orElseThrow(() -> new MalformedTagListException("unknown a=" + tags.require("a")));
        Canonicalization header = Canonicalization.fromTag(tags.get("c").orElse("simple").split("/")[0].trim())
                .orElseThrow(() -> new MalformedTagListException("unknown c=" + tags.get("c").orElse("")));
        List<String> names = new ArrayList<>();
        for (String n : tags.require("h").split(":")) {
            names.add(TagList.withoutWhitespace(n));
        }
        tags.require("b");
        HeaderField blank = SignedHeaders.withEmptySignature(template);
        List<HeaderField> signed = SignedHeaders.select(message.headers(), names, null);
        byte[] signature = algorithm.sign(key, SignedHeaders.hashInput(header, signed, blank));
        String text = new String(blank.raw(), StandardCharsets.UTF_8);
        Matcher m = B_TAG.matcher(text);
        if (!m.find()) {
            throw new MalformedTagListException("no b= tag");
        }
        String filled = text.substring(0, m.end()) + Base64.getEncoder().encodeToString(signature) + text.substring(m.end());
        return new HeaderField(filled.getBytes(StandardCharsets.UTF_8));
    }

    /** The b= tag's '=' (after the field's colon or a ';', with optional FWS). */
    private static final Pattern B_TAG = Pattern.compile("[:;][ \t\r\n]*b[ \t\r\n]*=");

    /** h=: each configured name once per instance present, oversigned names once more (§5.4.2). */
    private List<String> headerNames(RawMessage message) {
        List<String> names = new ArrayList<>();
        for (String name : settings.signedHeaders()) {
            int count = message.headers(name).size();
            if (settings.oversignedHeaders().contains(name)) {
                count++;
            }
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
        }
        return names;
    }

    /** dkim-quoted-printable (RFC 6376 §2.11) for i=: ';', '=', white space, controls and 8-bit become =XX. */
    static String encodeQuotedPrintable(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != ';' && c != '=') {
                sb.append((char) c);
            } else {
                sb.append('=').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
