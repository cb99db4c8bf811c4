package io.postbus.auth.psl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fallback list knows the rules the implicit "*" rule would get wrong. */
class BundledSuffixesTest {
    private final PublicSuffixList psl = BundledSuffixes.list();

    @Test
    void multiLabelSuffixesWildcardsExceptionsAndPrivateRules() {
        assertThat(psl.size()).isGreaterThan(5000);
        assertThat(psl.registrableDomain("mail.example.co.uk")).contains("example.co.uk");
        assertThat(psl.registrableDomain("a.b.example.com")).contains("example.com");
        assertThat(psl.registrableDomain("foo.bar.ck")).as("*.ck wildcard").contains("foo.bar.ck");
        assertThat(psl.registrableDomain("www.ck")).as("!www.ck exception").contains("www.ck");
        assertThat(psl.registrableDomain("user.github.io")).as("private section").contains("user.github.io");
        assertThat(psl.registrableDomain("co.uk")).as("a public suffix has no registrable domain").isEmpty();
    }
}
