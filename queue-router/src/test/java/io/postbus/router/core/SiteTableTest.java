package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery.sites syntax: domains as before, {@code mx=} host patterns, and what is refused. */
class SiteTableTest {

    @Test
    void domainsAndPatternsInOneItemOrSplitAtCommasAndBlanks() {
        SiteTable whole = SiteTable.parse(List.of("gmail:gmail.com,googlemail.com,mx=*.google.com", "outlook:mx=*.mail.protection.outlook.com"));
        // A main.cf-style list arrives split at commas and blanks: items without site: continue the site before.
        SiteTable split = SiteTable.parse(List.of("gmail:gmail.com", "googlemail.com", "mx=*.google.com",
                "outlook:mx=*.mail.protection.outlook.com"));
        for (SiteTable t : List.of(whole, split)) {
            assertThat(t.siteOfDomain()).isEqualTo(Map.of("gmail.com", "gmail", "googlemail.com", "gmail"));
            assertThat(t.byMxHost("alt1.aspmx.l.google.com")).contains("gmail");
            assertThat(t.byMxHost("Contoso-com.mail.protection.outlook.com.")).contains("outlook");
            assertThat(t.byMxHost("google.com")).as("* is one label or more, never none").isEmpty();
            assertThat(t.byMxHost("evilgoogle.com")).isEmpty();
            assertThat(t.names()).containsExactly("gmail", "outlook");
        }
    }

    @Test
    void todaysFormKeepsWorking() {
        SiteTable t = SiteTable.parse(List.of("yahoo:yahoo.com", "yahoo:ymail.com", "gmail:GMail.com"));
        assertThat(t.byDomain("ymail.com")).contains("yahoo");
        assertThat(t.byDomain("gmail.com")).contains("gmail");
        assertThat(t.hasMxPatterns()).isFalse();
        assertThat(SiteTable.ofDomains(Map.of("gmail.com", "gmail")).byDomain("GMAIL.COM")).contains("gmail");
    }

    @Test
    void anExactHostWinsOverAPatternAndALongerSuffixOverAShorterOne() {
        SiteTable t = SiteTable.parse(List.of("a:mx=*.example.net", "b:mx=*.eu.example.net", "c:mx=mx.eu.example.net"));
        assertThat(t.byMxHost("mx.eu.example.net")).contains("c");
        assertThat(t.byMxHost("mx2.eu.example.net")).contains("b");
        assertThat(t.byMxHost("mx.us.example.net")).contains("a");
    }

    @Test
    void aDomainOrPatternInTwoSitesIsRefused() {
        assertThatThrownBy(() -> SiteTable.parse(List.of("a:x.com", "b:x.com"))).hasMessageContaining("domain x.com is in two sites: a and b");
        assertThatThrownBy(() -> SiteTable.parse(List.of("a:mx=*.x.com", "b:mx=*.X.com.")))
                .hasMessageContaining("mx pattern *.x.com is in two sites: a and b");
        assertThatThrownBy(() -> SiteTable.parse(List.of("a:mx=mx.x.com", "b:mx=mx.x.com")))
                .hasMessageContaining("mx host mx.x.com is in two sites");
        assertThat(SiteTable.parse(List.of("a:x.com,x.com,mx=*.x.com", "a:mx=*.x.com")).byDomain("x.com")).contains("a");
    }

    @Test
    void unknownFormsAreRefusedWithEveryProblemNamed() {
        assertThatThrownBy(() -> SiteTable.parse(List.of("googlemail.com"))).hasMessageContaining("must start with site:");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:ip=10.0.0.1"))).hasMessageContaining("unknown item 'ip=10.0.0.1'");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:mx=*google.com"))).hasMessageContaining("must be a host name or *.domain");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:mx=mx.*.google.com"))).hasMessageContaining("must be a host name or *.domain");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:mx=*.com"))).hasMessageContaining("two labels or more");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:mx=*"))).hasMessageContaining("must be a host name or *.domain");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:"))).hasMessageContaining("site g lists nothing");
        assertThatThrownBy(() -> SiteTable.parse(List.of("G.mail:gmail.com"))).hasMessageContaining("site name 'g.mail'");
        assertThatThrownBy(() -> SiteTable.parse(List.of("default:x.com"))).hasMessageContaining("shared topic");
        assertThatThrownBy(() -> SiteTable.parse(List.of("g:bad_domain!", "h:-x.com")))
                .hasMessageContaining("'bad_domain!' is not a domain name").hasMessageContaining("'-x.com' is not a domain name");
    }
}
