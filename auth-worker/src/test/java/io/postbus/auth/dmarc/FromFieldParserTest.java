package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7489 §6.6.1 (author domain extraction) over RFC 5322 §3.4 address syntax. */
class FromFieldParserTest {

    static AuthorDomains parse(String... values) {
        return FromFieldParser.parse(List.of(values));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "user@example.com | example.com",
        "User@Example.COM | example.com",
        "<user@example.com> | example.com",
        "Joe Q. Public <john.q.public@example.com> | example.com",
        "\"Joe Q. Public\" <john.q.public@example.com> | example.com",
        "\"ceo@bank.example\" <attacker@evil.example> | evil.example",
        "\"quoted \\\" <x@y.example>\" <real@example.org> | example.org",
        "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)> | silly.test",
        "(comment (nested)) user @ example.com (trailing) | example.com",
        "\"very.unusual.@.unusual.com\"@example.net | example.net",
        "<@route.example,@other.example:user@final.example> | final.example",
        "=?UTF-8?B?SsO2cmc=?= <joerg@example.de> | example.de",
        "Jörg <jörg@bücher.example> | xn--bcher-kva.example",
        "user@example.com, other@EXAMPLE.com | example.com",
        "Team: alice@example.com, bob@example.com; | example.com",
        "a@[192.0.2.1], b@example.com | example.com",
        "  user@example.com  | example.com"})
    void section6_6_1_singleAuthorDomain(String value, String domain) {
        assertThat(parse(value)).isEqualTo(new AuthorDomains.Single(domain));
    }

    @Test
    void foldingWhitespaceLeftInTheValueIsWhitespace() {
        assertThat(parse("Someone\r\n <user@example.com>\r\n\t(folded)")).isEqualTo(new AuthorDomains.Single("example.com"));
    }

    @Test
    void section6_6_1_severalDomainsInOneFieldAreReportedInOrder() {
        AuthorDomains d = parse("alice@one.example, Bob <bob@two.example>, carol@one.example");
        assertThat(d).isEqualTo(new AuthorDomains.Multiple(List.of("one.example", "two.example")));
        assertThat(d.domains()).containsExactly("one.example", "two.example");
    }

    @Test
    void section6_6_1_noFromFieldOrSeveralFieldsAreUnusable() {
        assertThat(problem(FromFieldParser.parse(List.of()))).isEqualTo(AuthorProblem.NO_FROM_FIELD);
        assertThat(problem(FromFieldParser.parse(null))).isEqualTo(AuthorProblem.NO_FROM_FIELD);
        assertThat(problem(parse("a@example.com", "a@example.com"))).isEqualTo(AuthorProblem.MULTIPLE_FROM_FIELDS);
    }

    @Test
    void emptyGroupsAndDomainLiteralsGiveNoDomain() {
        assertThat(problem(parse("undisclosed-recipients:;"))).isEqualTo(AuthorProblem.NO_MAILBOX);
        assertThat(problem(parse(""))).isEqualTo(AuthorProblem.NO_MAILBOX);
        assertThat(problem(parse("user@[192.0.2.1]"))).isEqualTo(AuthorProblem.NO_DOMAIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ceo@bank.example <attacker@evil.example>",
        "just a name",
        "user@",
        "@example.com",
        "<user@example.com",
        "user@example.com>",
        "<>",
        "\"unterminated <a@b.example>",
        "(unterminated comment a@b.example",
        "a@b..example",
        "a@.example",
        "a@example.",
        "G: a@b.example",
        "G: H: a@b.example;;",
        "a@b.example; c@d.example",
        "a@\"quoted\".example",
        "a@exa mple.com",
        "a@ex\u0001ample.com",
        "a@" + "x123456789x123456789x123456789x123456789x123456789x123456789x123.example"})
    void rfc5322_syntaxErrorsAreUnusable(String value) {
        assertThat(problem(parse(value))).isEqualTo(AuthorProblem.SYNTAX_ERROR);
    }

    @Test
    void unusableOutcomesCarryADetail() {
        AuthorDomains d = parse("<user@example.com");
        assertThat(d).isInstanceOfSatisfying(AuthorDomains.Unusable.class,
                u -> assertThat(u.detail()).isNotBlank());
        assertThat(d.domains()).isEmpty();
    }

    private static AuthorProblem problem(AuthorDomains d) {
        assertThat(d).isInstanceOf(AuthorDomains.Unusable.class);
        return ((AuthorDomains.Unusable) d).problem();
    }
}
