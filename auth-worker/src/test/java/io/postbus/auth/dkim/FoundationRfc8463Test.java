package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The shared DKIM primitives (tag lists, canonicalization, header selection, key lookup, algorithms)
 * checked end to end on RFC 8463 Appendix A, before any verifier is built on them.
 */
class FoundationRfc8463Test {
    static final Path DIR = Path.of(System.getProperty("postbus.shared.dir", "../../shared"))
            .resolve("conformance").resolve("rfc8463-appendix-a");

    @Test
    void bothAppendixASignaturesVerifyWithThePrimitives() throws Exception {
        RawMessage message = RawMessage.parse(crlf(Files.readString(DIR.resolve("signed.eml"))));
        ZoneFileResolver dns = ZoneFileResolver.fromString("example.com.", Files.readString(DIR.resolve("dns-records.txt")));
        KeyLookup keys = new KeyLookup(dns);
        List<HeaderField> signatures = message.headers("DKIM-Signature");
        assertThat(signatures).hasSize(2);
        for (HeaderField sigField : signatures) {
            TagList tags = TagList.parse(sigField.unfoldedValue());
            SigningAlgorithm algorithm = SigningAlgorithm.fromTag(tags.require("a")).orElseThrow();
            BodyHash bodyHash = BodyHash.of(message, Canonicalization.RELAXED, OptionalLong.empty());
            assertThat(Base64.getEncoder().encodeToString(bodyHash.hash())).isEqualTo(TagList.withoutWhitespace(tags.require("bh")));
            List<String> names = Arrays.asList(tags.require("h").split(":"));
            List<HeaderField> selected = SignedHeaders.select(message.headers(), names, sigField);
            assertThat(selected).extracting(HeaderField::lowerName).containsExactly("from", "to", "subject", "date", "message-id");
            byte[] input = SignedHeaders.hashInput(Canonicalization.RELAXED, selected, sigField);
            KeyLookup.Outcome outcome = keys.lookup(tags.require("s"), tags.require("d"));
            assertThat(outcome).isInstanceOf(KeyLookup.Outcome.Found.class);
            KeyRecord key = ((KeyLookup.Outcome.Found) outcome).key();
            assertThat(key.keyType()).isEqualTo(algorithm.keyType());
            byte[] b = Base64.getDecoder().decode(TagList.withoutWhitespace(tags.require("b")));
            assertThat(algorithm.verify(key.publicKey().orElseThrow(), input, b)).as(algorithm.tagValue()).isTrue();
            b[5] ^= 1;
            assertThat(algorithm.verify(key.publicKey().orElseThrow(), input, b)).as("tampered " + algorithm.tagValue()).isFalse();
        }
    }

    @Test
    void ed25519SeedReproducesTheAppendixSignatureByteForByte() throws Exception {
        RawMessage message = RawMessage.parse(crlf(Files.readString(DIR.resolve("signed.eml"))));
        HeaderField sigField = message.headers("DKIM-Signature").get(0);
        TagList tags = TagList.parse(sigField.unfoldedValue());
        byte[] seed = Base64.getDecoder().decode(Files.readString(DIR.resolve("ed25519-private-seed.b64")).trim());
        List<HeaderField> selected = SignedHeaders.select(message.headers(), Arrays.asList(tags.require("h").split(":")), sigField);
        byte[] signature = SigningAlgorithm.ED25519_SHA256.sign(DkimKeys.ed25519PrivateKey(seed),
                SignedHeaders.hashInput(Canonicalization.RELAXED, selected, sigField));
        assertThat(Base64.getEncoder().encodeToString(signature)).isEqualTo(TagList.withoutWhitespace(tags.require("b")));
    }

    static byte[] crlf(String lf) throws IOException {
        return lf.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
