package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.config.ConfigException;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.router.core.RoutingPlan;
import io.postbus.router.core.Site;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** delivery.sites: domains (the old form), mx= patterns, a topic per configured site, errors at start. */
class SitesConfigTest {

    @Test
    void domainsAndPatternsWrittenAsInMainCfGetTopicsAndRouteByMx() {
        PostbusConfig c = PostbusConfig.parse(Map.of("myhostname", "mx.example.com", "delivery.sites",
                "gmail:gmail.com, googlemail.com, mx=*.google.com  outlook:mx=*.mail.protection.outlook.com  yahoo:yahoo.com"));
        assertThat(c.sites()).containsExactly("default", "gmail", "outlook", "yahoo");
        assertThat(c.topicSpecs()).extracting(TopicSpec::name).contains("postbus.mail.deliver.default",
                "postbus.mail.deliver.gmail", "postbus.mail.deliver.outlook", "postbus.mail.deliver.yahoo");

        ZoneFileResolver dns = ZoneFileResolver.fromString(".", """
                $TTL 300
                .                   SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300
                corp.example.       MX 1 aspmx.l.google.com.
                tenant.example.     MX 0 tenant-example.mail.protection.outlook.com.
                """);
        RoutingPlan plan = c.router(dns, Clock.systemUTC()).route("", List.of("a@googlemail.com", "b@corp.example",
                "c@tenant.example", "d@yahoo.com"));
        assertThat(plan.destinations()).extracting(d -> d.name(), d -> d.site().name(), d -> d.site().basis()).containsExactly(
                tuple("googlemail.com", "gmail", Site.Basis.CONFIGURED_DOMAIN),
                tuple("corp.example", "gmail", Site.Basis.CONFIGURED_MX),
                tuple("tenant.example", "outlook", Site.Basis.CONFIGURED_MX),
                tuple("yahoo.com", "yahoo", Site.Basis.CONFIGURED_DOMAIN));
    }

    @Test
    void theOneDomainFormKeepsWorking() {
        PostbusConfig c = PostbusConfig.parse(Map.of("myhostname", "mx.example.com", "delivery.sites", "bulk:bulk.test"));
        assertThat(c.sites()).containsExactly("default", "bulk");
        assertThat(c.router().route("", List.of("x@bulk.test")).destinations()).singleElement()
                .satisfies(d -> assertThat(d.site()).isEqualTo(new Site("bulk", Site.Basis.CONFIGURED_DOMAIN)));
    }

    @Test
    void badSitesStopTheStartWithEveryProblemNamed() {
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("delivery.sites", "a:x.com b:x.com c:mx=*.com d:ip=1.2.3.4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.sites: ")
                .hasMessageContaining("domain x.com is in two sites: a and b")
                .hasMessageContaining("mx pattern '*.com' must be *. and a domain of two labels or more")
                .hasMessageContaining("unknown item 'ip=1.2.3.4'");
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("delivery.sites", "gmail.com")))
                .hasMessageContaining("must start with site:");
    }
}
