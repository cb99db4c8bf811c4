package io.postbus.auth.arc;

import io.postbus.auth.dkim.BodyHash;
import io.postbus.auth.dkim.Canonicalization;
import io.postbus.auth.dkim.SignedHeaders;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The sealer of RFC 8617 §5.1: adds the next ARC Set (AAR, AMS, AS with i = N+1) to a message whose
 * incoming chain has been validated. All other changes to the message, including DKIM signing, must be
 * made before sealing (§5.1).
 *
 * <p>The fields are written in the ValiMail suite's "standardized" form: AMS tags exactly a, b, bh, c, d,
 * h, i, s, t and AS tags exactly a, b, cv, d, i, s, t, alphabetical, c=relaxed/relaxed.
 */
public final class ArcSealer {
    /** §4.1.2: these must not be in the AMS h= (Authentication-Results is removed by later ADMDs). */
    private static final Set<String> NEVER_SIGNED = Set.of(
            "arc-authentication-results", "arc-message-signature", "arc-seal", "authentication-results");

    private final ArcSigningKey key;
    private final Clock clock;

    public ArcSealer(ArcSigningKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Seals a message.
     *
     * @param message               the message as it will leave, without the new set
     * @param authservId            our authserv-id; the payload must start with it
     * @param authenticationResults the Authentication-Results payload of this ADMD, all results combined
     *                              (§4.1.1), e.g. {@code mx.example.org; arc=pass; dkim=pass header.d=...}
     * @param chainValidation       the result of {@link ArcValidator} on this message; gives cv= (§5.1)
     * @param signedHeaders         the AMS h= list; must include From and no ARC or Authentication-Results field
     * @throws IllegalArgumentException when the arguments contradict each other or the RFC (a caller bug)
     */
    public SealOutcome seal(RawMessage message, String authservId, String authenticationResults,
                            ArcValidation chainValidation, List<String> signedHeaders) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(chainValidation, "chainValidation");
        List<String> names = checkSignedHeaders(signedHeaders);
        String payload = checkPayload(authservId, authenticationResults);
        ArcChain chain = ArcChain.parse(message);
        if (chain.latestSealCv().orElse(null) == ChainValidationStatus.FAIL) {
            return new SealOutcome.NotSealed(SealOutcome.Reason.CHAIN_ALREADY_FAILED,
                    "ARC-Seal i=" + chain.highestInstance() + " says cv=fail (RFC 8617 §5.1 step 1)");
        }
        int n = chain.highestInstance();
        if (chainValidation.instances() != n || (chainValidation.status() == ChainValidationStatus.PASS && chain.defect().isPresent())) {
            throw new IllegalArgumentException("the chain validation result does not belong to this message");
        }
        if (chainValidation.temporaryFailure()) {
            return new SealOutcome.NotSealed(SealOutcome.Reason.VALIDATION_TEMPORARILY_FAILED,
                    chainValidation.failure().orElseThrow().reason());
        }
        if (n >= ArcChain.MAX_INSTANCE) {
            return new SealOutcome.NotSealed(SealOutcome.Reason.INSTANCE_LIMIT,
                    "instance " + (n + 1) + " would exceed " + ArcChain.MAX_INSTANCE + " (RFC 8617 §4.2.1)");
        }
        return new SealOutcome.Sealed(build(message, n + 1, payload, chainValidation.status(), chain, names));
    }

    private ArcSetHeaders build(RawMessage message, int instance, String payload, ChainValidationStatus cv,
                                ArcChain chain, List<String> names) {
        String t = Long.toString(clock.instant().getEpochSecond());
        String a = key.algorithm().tagValue();
        HeaderField aar = ArcHeaderText.authenticationResults(instance, payload);

        String bh = base64(BodyHash.of(message, Canonicalization.RELAXED, OptionalLong.empty()).hash());
        List<String> amsTags = List.of("a=" + a, "b=", "bh=" + bh, "c=relaxed/relaxed", "d=" + key.domain(),
                "h=" + String.join(":", names), "i=" + instance, "s=" + key.selector(), "t=" + t);
        HeaderField unsignedAms = ArcHeaderText.tagField(ArcHeaderKind.MESSAGE_SIGNATURE.fieldName(), amsTags);
        List<HeaderField> signed = SignedHeaders.select(message.headers(), names, null);
        byte[] amsSignature = sign(SignedHeaders.hashInput(Canonicalization.RELAXED, signed, unsignedAms));
        HeaderField ams = ArcHeaderText.tagField(ArcHeaderKind.MESSAGE_SIGNATURE.fieldName(), withSignature(amsTags, amsSignature));

        List<String> sealTags = List.of("a=" + a, "b=", "cv=" + cv.cvValue(), "d=" + key.domain(),
                "i=" + instance, "s=" + key.selector(), "t=" + t);
        HeaderField unsignedSeal = ArcHeaderText.tagField(ArcHeaderKind.SEAL.fieldName(), sealTags);
        List<HeaderField> covered = new ArrayList<>();
        if (cv != ChainValidationStatus.FAIL) {
            for (ArcSet set : chain.sets()) {
                covered.addAll(set.fieldsInSealOrder());
            }
        }
        // §5.1.2: over a failed chain the seal covers only the set this sealer adds.
        covered.add(aar);
        covered.add(ams);
        byte[] sealSignature = sign(SignedHeaders.hashInput(Canonicalization.RELAXED, covered, unsignedSeal));
        HeaderField seal = ArcHeaderText.tagField(ArcHeaderKind.SEAL.fieldName(), withSignature(sealTags, sealSignature));
        return new ArcSetHeaders(instance, aar, ams, seal);
    }

    private byte[] sign(byte[] hashInput) {
        try {
            return key.algorithm().sign(key.privateKey(), hashInput);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("the signing key was refused for " + key.algorithm().tagValue(), e);
        }
    }

    private static List<String> withSignature(List<String> tags, byte[] signature) {
        List<String> out = new ArrayList<>(tags);
        out.set(tags.indexOf("b="), "b=" + base64(signature));
        return out;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static List<String> checkSignedHeaders(List<String> signedHeaders) {
        Objects.requireNonNull(signedHeaders, "signedHeaders");
        List<String> names = new ArrayList<>(signedHeaders.size());
        for (String raw : signedHeaders) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("not a header field name: '" + raw + "'");
            }
            if (NEVER_SIGNED.contains(name)) {
                throw new IllegalArgumentException(raw + " must not be covered by an ARC-Message-Signature (RFC 8617 §4.1.2)");
            }
            names.add(name);
        }
        if (!names.contains("from")) {
            throw new IllegalArgumentException("the ARC-Message-Signature must cover From (RFC 6376 §5.4)");
        }
        return names;
    }

    /** The payload must be ours, and any line break in it must be folding, never a new header line. */
    private static String checkPayload(String authservId, String payload) {
        Objects.requireNonNull(authservId, "authservId");
        Objects.requireNonNull(payload, "authenticationResults");
        String id = authservId.trim();
        if (id.isEmpty() || id.chars().anyMatch(c -> c <= 32 || c == ';')) {
            throw new IllegalArgumentException("not an authserv-id: '" + authservId + "'");
        }
        String text = payload.strip();
        int end = 0;
        while (end < text.length() && text.charAt(end) != ';' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        if (!text.substring(0, end).equalsIgnoreCase(id)) {
            throw new IllegalArgumentException("the Authentication-Results payload does not start with authserv-id " + id);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean folding = c == '\r' && i + 2 < text.length() && text.charAt(i + 1) == '\n'
                    && (text.charAt(i + 2) == ' ' || text.charAt(i + 2) == '\t');
            if (folding) {
                i++;
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("bare CR, LF or NUL in the Authentication-Results payload");
            }
        }
        return text;
    }
}
