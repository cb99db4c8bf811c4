package io.postbus.auth.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8601 §2.2 syntax and §5 removal of forged claims. */
class AuthenticationResultsHeaderTest {

    @Test
    void rendersOneFoldedHeaderWithEveryMethod() {
        List<ResultClause> clauses = List.of(
                ResultClause.of("dkim", "pass").property("header.d", "example.com").property("header.s", "2026q1")
                        .property("header.i", "@example.com").property("header.a", "rsa-sha256").property("header.b", "F45dVWDf").build(),
                ResultClause.of("spf", "fail").comment("mail.example.org: 192.0.2.1 is not permitted")
                        .property("smtp.mailfrom", "user@example.com").build(),
                ResultClause.of("dmarc", "fail").comment("p=reject dis=quarantine").property("header.from", "example.com").build(),
                ResultClause.of("arc", "none").build());
        String header = AuthenticationResultsHeader.render("mx.example.org", clauses).toString();
        assertThat(header).isEqualTo("Authentication-Results: mx.example.org;\r\n"
                + "\tdkim=pass header.d=example.com header.s=2026q1 header.i=@example.com header.a=rsa-sha256 header.b=F45dVWDf;\r\n"
                + "\tspf=fail (mail.example.org: 192.0.2.1 is not permitted) smtp.mailfrom=user@example.com;\r\n"
                + "\tdmarc=fail (p=reject dis=quarantine) header.from=example.com;\r\n"
                + "\tarc=none");
    }

    @Test
    void nothingToReportIsNone() {
        assertThat(AuthenticationResultsHeader.render("mx.example.org", List.of()).toString())
                .isEqualTo("Authentication-Results: mx.example.org; none");
    }

    @Test
    void reasonsAndOddValuesAreQuotedAndCommentsEscaped() {
        String c = AuthenticationResultsHeader.clause(ResultClause.of("dkim", "fail").reason("body hash \"did\" not verify")
                .comment("a (nested) b").property("header.b", "a/b+c=").build());
        assertThat(c).isEqualTo("dkim=fail (a \\(nested\\) b) reason=\"body hash \\\"did\\\" not verify\" header.b=\"a/b+c=\"");
    }

    @Test
    void rejectsBadKeywordsAndAuthservIds() {
        assertThatThrownBy(() -> ResultClause.of("dkim", "pass ok").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultClause.of("dkim", "pass").property("d", "x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthenticationResultsHeader.render("mx example", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void authservIdIsFoundPastCommentsQuotesAndArcInstanceTags() {
        assertThat(AuthservId.ofAuthenticationResults(" (comment (nested)) mx.example.org 1; spf=pass")).contains("mx.example.org");
        assertThat(AuthservId.ofAuthenticationResults(" \"mx.example.org\"; none")).contains("mx.example.org");
        assertThat(AuthservId.ofAuthenticationResults(" ; none")).isEmpty();
        assertThat(AuthservId.ofArcAuthenticationResults(" i=2; MX.example.org; dkim=pass")).contains("MX.example.org");
        assertThat(AuthservId.ofArcAuthenticationResults(" mx.example.org; dkim=pass")).isEmpty();
    }

    @Test
    void removesOnlyTheClaimsMadeInOurName() {
        String msg = "Received: from x\r\n"
                + "Authentication-Results: MX.Example.ORG; dkim=pass\r\n"
                + "Authentication-Results: other.example.net;\r\n\tspf=pass\r\n"
                + "ARC-Authentication-Results: i=1; mx.example.org; dmarc=pass\r\n"
                + "ARC-Authentication-Results: i=1; lists.example.net; dmarc=pass\r\n"
                + "Authentication-Results: (forged) mx.example.org;\r\n spf=pass\r\n"
                + "Subject: hi\r\n\r\nAuthentication-Results: mx.example.org; body text stays\r\n";
        ForgedClaims.Removal r = ForgedClaims.remove(RawMessage.parse(msg.getBytes(StandardCharsets.UTF_8)), "mx.example.org");
        assertThat(r.removed()).isEqualTo(3);
        assertThat(new String(r.message(), StandardCharsets.UTF_8)).isEqualTo("Received: from x\r\n"
                + "Authentication-Results: other.example.net;\r\n\tspf=pass\r\n"
                + "ARC-Authentication-Results: i=1; lists.example.net; dmarc=pass\r\n"
                + "Subject: hi\r\n\r\nAuthentication-Results: mx.example.org; body text stays\r\n");
    }

    @Test
    void aMessageWithoutClaimsIsReturnedUntouched() {
        byte[] msg = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        ForgedClaims.Removal r = ForgedClaims.remove(RawMessage.parse(msg), "mx.example.org");
        assertThat(r.removed()).isZero();
        assertThat(r.message()).isSameAs(msg);
    }
}
