package io.postbus.delivery.dane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7672 §3.2.3 / RFC 6125 §6.4 name matching for DANE-TA(2). */
class ReferenceIdentifiersTest {

    @Test
    void exactNamesMatchCaseInsensitivelyAfterNormalising() {
        assertThat(ReferenceIdentifiers.matches("mx.example.test", "mx.example.test")).isTrue();
        assertThat(ReferenceIdentifiers.matches("mx.example.test", "mx2.example.test")).isFalse();
        assertThat(ReferenceIdentifiers.firstMatch(
                io.postbus.delivery.smtp.TestPki.create("CA").issue("MX.Example.Test").certificate(),
                java.util.List.of("other.test", "mx.example.test.")))
                .isEqualTo("mx.example.test.");
    }

    @Test
    void rfc7672Section323WildcardOnlyAsTheWholeLeftmostLabelForOneLabel() {
        assertThat(ReferenceIdentifiers.matches("*.example.test", "mx.example.test")).isTrue();
        assertThat(ReferenceIdentifiers.matches("*.example.test", "example.test")).isFalse();
        assertThat(ReferenceIdentifiers.matches("*.example.test", "a.b.example.test")).isFalse();
        assertThat(ReferenceIdentifiers.matches("m*.example.test", "mx.example.test")).as("partial wildcard").isFalse();
        assertThat(ReferenceIdentifiers.matches("mx.*.test", "mx.example.test")).isFalse();
        assertThat(ReferenceIdentifiers.matches("*.test", "example.test")).as("not over a TLD").isFalse();
    }
}
