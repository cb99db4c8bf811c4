package io.postbus.delivery.mtasts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two formats of RFC 8461: the TXT record (§3.1) and the policy file (§3.2), and MX matching (§4.1). */
class StsRecordAndPolicyTest {

    @Test
    void rfc8461Section31RecordWithIdAndExtensions() {
        assertThat(StsRecord.parse("v=STSv1; id=20160831085700Z;")).contains(new StsRecord("20160831085700Z"));
        assertThat(StsRecord.parse("v=STSv1;id=abc")).contains(new StsRecord("abc"));
        assertThat(StsRecord.parse("v=STSv1; id=abc; ext_1=value")).contains(new StsRecord("abc"));
    }

    @Test
    void rfc8461Section31MalformedRecordsGiveNoPolicy() {
        assertThat(StsRecord.parse("v=STSv1;")).as("no id").isEmpty();
        assertThat(StsRecord.parse("v=STSv1; id=has-dash;")).as("id is letters and digits").isEmpty();
        assertThat(StsRecord.parse("v=STSv1; id=" + "a".repeat(33))).as("id at most 32").isEmpty();
        assertThat(StsRecord.parse("v=STSv1; id=a; id=b")).as("two ids").isEmpty();
        assertThat(StsRecord.parse("v=STSv2; id=a")).isEmpty();
        assertThat(StsRecord.parse("v=STSv1; id=a; bad field")).isEmpty();
    }

    @Test
    void rfc8461Section31ExactlyOneRecordMustRemain() {
        assertThat(StsRecord.select(List.of("v=spf1 -all", "v=STSv1; id=one;"))).contains(new StsRecord("one"));
        assertThat(StsRecord.select(List.of("v=STSv1; id=one;", "v=STSv1; id=two;"))).isEmpty();
        assertThat(StsRecord.select(List.of("v=spf1 -all"))).isEmpty();
    }

    @Test
    void rfc8461Section32PolicyFile() {
        StsPolicy.Parsed p = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertThat(p).isInstanceOf(StsPolicy.Parsed.Valid.class);
        StsPolicy policy = ((StsPolicy.Parsed.Valid) p).policy();
        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.mx()).extracting(MxPattern::pattern)
                .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
    }

    @Test
    void rfc8461Section32LfLinesUnknownFieldsAndALongMaxAge() {
        StsPolicy.Parsed p = StsPolicy.parse("version: STSv1\nmode: testing\nmx: mx.example.com\nfuture_field: x\n"
                + "max_age: 9999999999\n");
        StsPolicy policy = ((StsPolicy.Parsed.Valid) p).policy();
        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(policy.maxAge()).isEqualTo(StsPolicy.MAX_AGE_LIMIT);
    }

    @Test
    void rfc8461Section32InvalidPolicies() {
        assertThat(StsPolicy.parse("mode: enforce\nmx: a.example\nmax_age: 1\n"))
                .isEqualTo(new StsPolicy.Parsed.Invalid("no version field"));
        assertThat(StsPolicy.parse("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n"))
                .as("values are case-sensitive").isInstanceOf(StsPolicy.Parsed.Invalid.class);
        assertThat(StsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1\n"))
                .as("enforce without mx").isInstanceOf(StsPolicy.Parsed.Invalid.class);
        assertThat(StsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n"))
                .isInstanceOf(StsPolicy.Parsed.Invalid.class);
        assertThat(StsPolicy.parse("<html>not a policy</html>")).isInstanceOf(StsPolicy.Parsed.Invalid.class);
        assertThat(StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n"))
                .as("mode none needs no mx").isInstanceOf(StsPolicy.Parsed.Valid.class);
    }

    @Test
    void rfc8461Section41WildcardCoversExactlyTheLeftMostLabel() {
        MxPattern wildcard = new MxPattern("*.example.com");
        assertThat(wildcard.matches("mx1.example.com")).isTrue();
        assertThat(wildcard.matches("MX1.Example.COM.")).as("case and the root dot do not matter").isTrue();
        assertThat(wildcard.matches("example.com")).isFalse();
        assertThat(wildcard.matches("foo.bar.example.com")).isFalse();
        assertThat(wildcard.matches("mx1.example.com.evil.test")).isFalse();
        MxPattern exact = new MxPattern("mail.example.com");
        assertThat(exact.matches("mail.example.com")).isTrue();
        assertThat(exact.matches("x.mail.example.com")).isFalse();
    }
}
