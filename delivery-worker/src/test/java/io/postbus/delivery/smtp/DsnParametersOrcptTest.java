package io.postbus.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dsn.Utf8AddrXtext;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How ORCPT is written on RCPT TO: RFC 3461 §4.2 xtext, and RFC 6533 §3 for non-ASCII addresses. */
class DsnParametersOrcptTest {

    private static String rcpt(String orcpt) {
        DsnParameters p = new DsnParameters(null, null,
                Map.of("x@example.net", new DsnParameters.Recipient(Set.of(), orcpt)));
        return p.rcptParameters("x@example.net");
    }

    @Test
    void asciiRfc822AddressIsXtextEncoded() {
        // RFC 3461 §4: "+" and "=" (and anything outside ! to ~) as +HH.
        assertThat(rcpt("rfc822;bob+tag=1@example.net")).isEqualTo(" ORCPT=rfc822;bob+2Btag+3D1@example.net");
    }

    @Test
    void nonAsciiRfc822AddressBecomesTheUtf8TypeInItsSevenBitForm() {
        // RFC 6533 §3: an address with non-ASCII characters is not an rfc822 addr-type value;
        // utf-8-addr-xtext is safe whether or not SMTPUTF8 was offered.
        assertThat(rcpt("rfc822;jos\u00e9@example.net")).isEqualTo(" ORCPT=utf-8;jos\\x{E9}@example.net");
        assertThat(rcpt("rfc822;\u7528\u6237@\u4f8b\u5b50.\u6d4b\u8bd5"))
                .isEqualTo(" ORCPT=utf-8;\\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{6D4B}\\x{8BD5}");
    }

    @Test
    void utf8TypeValuesAreNormalizedWhetherTheyCameAsXtextOrUnitext() {
        assertThat(rcpt("utf-8;jos\\x{E9}@example.net")).isEqualTo(" ORCPT=utf-8;jos\\x{E9}@example.net");
        assertThat(rcpt("utf-8;jos\u00e9@example.net")).isEqualTo(" ORCPT=utf-8;jos\\x{E9}@example.net");
        // "+", "=" and "\" are not QCHARs: escaped, so the value needs no further xtext encoding.
        assertThat(rcpt("utf-8;a+b=c@ex\u00e4mple.net")).isEqualTo(" ORCPT=utf-8;a\\x{2B}b\\x{3D}c@ex\\x{E4}mple.net");
        // A character outside the BMP is one code point, not two surrogates.
        assertThat(rcpt("utf-8;\ud83d\udce7@example.net")).isEqualTo(" ORCPT=utf-8;\\x{1F4E7}@example.net");
    }

    @Test
    void malformedUtf8EscapesAreDroppedRatherThanSentBroken() {
        assertThat(rcpt("utf-8;jos\\x{ZZ}@example.net")).isEmpty();
        assertThat(rcpt("utf-8;jos\\x{D800}@example.net")).isEmpty();
        assertThat(rcpt("utf-8;jos\\xE9@example.net")).isEmpty();
    }

    @Test
    void utf8AddrXtextRoundTrips() {
        String address = "J\u00f6rg+\\=\u00df @b\u00fccher.example";
        assertThat(Utf8AddrXtext.decode(Utf8AddrXtext.encode(address))).isEqualTo(address);
        assertThat(Utf8AddrXtext.encode(address)).matches("[\\x21-\\x7e]+").doesNotContain("+", "=");
    }
}
