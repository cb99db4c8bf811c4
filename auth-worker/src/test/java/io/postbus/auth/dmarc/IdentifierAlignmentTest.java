package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.psl.TestPsl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7489 §3.1 identifier alignment, strict and relaxed, with the real Public Suffix List. */
class IdentifierAlignmentTest {

    private final IdentifierAlignment alignment = new IdentifierAlignment(TestPsl.list());

    @ParameterizedTest(name = "{0} vs {1}: relaxed {2}, strict {3}")
    @CsvSource({
        "example.com, example.com, true, true",
        "mail.example.com, example.com, true, false",      // §3.1.1 example: relaxed only
        "example.com, news.example.com, true, false",
        "a.example.com, b.example.com, true, false",
        "example.net, example.com, false, false",
        "example.co.uk, other.co.uk, false, false",        // same public suffix is not the same organization
        "co.uk, example.co.uk, false, false",              // a public suffix never aligns below itself
        "alice.github.io, bob.github.io, false, false",    // PSL PRIVATE section: different owners
        "www.alice.github.io, alice.github.io, true, false",
        "b.c.mm, a.b.c.mm, true, false",                   // wildcard rule *.mm
        "www.ck, www.www.ck, true, false"})                // exception rule !www.ck
    void section3_1(String authenticated, String author, boolean relaxed, boolean strict) {
        assertThat(alignment.aligned(authenticated, author, AlignmentMode.RELAXED)).isEqualTo(relaxed);
        assertThat(alignment.aligned(authenticated, author, AlignmentMode.STRICT)).isEqualTo(strict);
    }
}
