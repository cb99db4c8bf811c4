package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslPrepTest {

    @Test
    void reproducesTheExamplesOfRfc4013Section3() {
        assertThat(SaslPrep.prepare("I\u00ADX")).as("SOFT HYPHEN mapped to nothing").isEqualTo("IX");
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("USER")).as("case preserved").isEqualTo("USER");
        assertThat(SaslPrep.prepare("\u00AA")).as("output is NFKC normalized").isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).as("output is NFKC normalized").isEqualTo("IX");
        assertThat(SaslPrep.prepare("\u0007")).as("prohibited character").isNull();
        assertThat(SaslPrep.prepare("\u0627\u0031")).as("bidirectional check").isNull();
    }

    @Test
    void mapsNonAsciiSpaceAndKeepsValidRightToLeftText() {
        assertThat(SaslPrep.prepare("a\u3000b")).isEqualTo("a b");
        assertThat(SaslPrep.prepare("\u0627\u0628")).isEqualTo("\u0627\u0628"); // RandALCat first and last
        assertThat(SaslPrep.prepare("a\uE000")).as("private use, table C.3").isNull();
    }

    @Test
    void passwordsSaslprepRefusesAreUsedRaw() {
        // As PostgreSQL does: better to verify the raw bytes than to lock the user out.
        assertThat(SaslPrep.passwordBytes("tab\there".toCharArray())).isEqualTo("tab\there".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslPrep.passwordBytes("\u2168".toCharArray())).isEqualTo("IX".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslPrep.passwordBytes("plain ascii".toCharArray())).isEqualTo("plain ascii".getBytes(StandardCharsets.UTF_8));
    }
}
