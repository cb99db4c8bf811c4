package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.message.HeaderField;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DKIM-Signature parsing and validation: RFC 6376 §3.5 and §6.1.1, RFC 8301 §3.1. */
class DkimSignatureTest {
    static final String BASE = "v=1; a=rsa-sha256; d=example.com; s=sel; h=From:To; bh=AAAA; b=AAAA";

    static DkimSignature parse(String value) {
        return DkimSignature.parse(HeaderField.of("DKIM-Signature", " " + value));
    }

    @Test
    void defaultsAreSimpleSimpleAndAnIdentityOfAtD() {
        DkimSignature sig = parse(BASE);
        assertThat(sig.headerCanonicalization()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(sig.bodyCanonicalization()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(sig.identity()).isEqualTo("@example.com");
        assertThat(sig.signedHeaders()).containsExactly("From", "To");
        assertThat(sig.bodyLength()).isEmpty();
        assertThat(sig.timestamp()).isEmpty();
        assertThat(sig.algorithm()).isEqualTo(SigningAlgorithm.RSA_SHA256);
    }

    @Test
    void readsEveryOptionalTag() {
        DkimSignature sig = parse(BASE + "; c=relaxed; i=joe@Mail.Example.COM; l=42; t=1000; x=2000; q=dns/txt; z=From:x");
        assertThat(sig.headerCanonicalization()).isEqualTo(Canonicalization.RELAXED);
        assertThat(sig.bodyCanonicalization()).as("c=relaxed alone means relaxed/simple").isEqualTo(Canonicalization.SIMPLE);
        assertThat(sig.identityDomain()).isEqualTo("Mail.Example.COM");
        assertThat(sig.bodyLength()).hasValue(42);
        assertThat(sig.timestamp()).contains(Instant.ofEpochSecond(1000));
        assertThat(sig.expiration()).contains(Instant.ofEpochSecond(2000));
    }

    @Test
    void hMayHaveFoldingWhiteSpaceAroundColonsAndBase64MayHaveSpaces() {
        DkimSignature sig = parse("v=1; a=ed25519-sha256; d=example.com; s=sel; h=from :\r\n\tto\t: subject;"
                + " bh=AA AA; b=AA\r\n AA");
        assertThat(sig.signedHeaders()).containsExactly("from", "to", "subject");
        assertThat(sig.signature()).hasSize(3);
    }

    @Test
    void identityIsDecodedFromDkimQuotedPrintable() {
        assertThat(parse(BASE + "; i=joe=20smith=3B@example.com").identity()).isEqualTo("joe smith;@example.com");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | signature missing required tag v=",
            "v=1; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | signature missing required tag a=",
            "v=1; a=rsa-sha256; s=sel; h=From; bh=AAAA; b=AAAA | signature missing required tag d=",
            "v=1; a=rsa-sha256; d=example.com; h=From; bh=AAAA; b=AAAA | signature missing required tag s=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; bh=AAAA; b=AAAA | signature missing required tag h=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; b=AAAA | signature missing required tag bh=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA | signature missing required tag b=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b= | empty",
            "v=2; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | incompatible version",
            "v=1; a=rsa-sha1; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | rsa-sha1 not accepted",
            "v=1; a=RSA-SHA1; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | rsa-sha1 not accepted",
            "v=1; a=rsa-md5; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | unknown signing algorithm",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=To:Subject; bh=AAAA; b=AAAA | From field not signed",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From::To; bh=AAAA; b=AAAA | bad header name",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; i=joe@example.org | domain mismatch",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; i=joe@badexample.com | domain mismatch",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; i=joe | no '@'",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; c=future | unknown canonicalization",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; c=simple/future | unknown canonicalization",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; q=http | unsupported query method",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; t=200; x=100 | x= is not later than t=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; t=200; x=200 | x= is not later than t=",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; l=-1 | bad l= value",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; t=1234567890123 | bad t= value",
            "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=A*A | b= is not base64",
            "v=1; a=rsa-sha256; d=example..com; s=sel; h=From; bh=AAAA; b=AAAA | bad d= value",
            "v=1; a=rsa-sha256; d=example.com; s=se/l; h=From; bh=AAAA; b=AAAA | bad s= value",
            "v=1; v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA | duplicate tag v",
    })
    void refusesWhatSection611Refuses(String value, String reason) {
        assertThatThrownBy(() -> parse(value)).isInstanceOf(MalformedTagListException.class).hasMessageContaining(reason);
    }
}
