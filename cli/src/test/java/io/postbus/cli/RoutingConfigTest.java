package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.config.ConfigException;
import io.postbus.router.core.Destination;
import io.postbus.router.core.RoutingPlan;
import io.postbus.router.core.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's configuration keys (Postfix names with dots), checked at start and wired to the core. */
class RoutingConfigTest {
    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void withNothingConfiguredTheRouterRoutesByMxAndTheIngressKeepsItsDomainRule() {
        PostbusConfig c = PostbusConfig.parse(Map.of("myhostname", "mx.example.com"));
        assertThat(c.addressing().recipientValidator()).isEmpty();
        RoutingPlan plan = c.router().route("a@example.org", List.of("b@example.net"));
        assertThat(plan.destinations()).extracting(Destination::name).containsExactly("example.net");
        assertThat(c.topicSpecs()).extracting(t -> t.name()).contains("postbus.mail.reroute", "postbus.mail.scored");
    }

    @Test
    void mydestinationAloneIsEnoughForLocalMaildirsInTheDataDirectory() {
        PostbusConfig c = PostbusConfig.parse(Map.of("myhostname", "mx.example.com", "mydestination", "example.com",
                "data.dir", tmp.toString()));
        assertThat(c.addressing().recipientValidator()).as("no table: the ingress rule is unchanged").isEmpty();
        RoutingPlan plan = c.router().route("", List.of("joe@example.com", "x@example.org"));
        assertThat(plan.destinations()).extracting(Destination::transport, Destination::nextHop).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Transport.MAILDIR, tmp.resolve("mail").resolve("joe").toString()),
                org.assertj.core.groups.Tuple.tuple(Transport.SMTP, null));
    }

    @Test
    void routerTablesAndTransportsAreWiredFromTheirKeys() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("myhostname", "mx.example.com");
        s.put("myorigin", "example.com");
        s.put("mydestination", "example.com");
        s.put("virtual.mailbox.domains", "hosted.example");
        s.put("virtual.mailbox.maps", file("vmailbox", "bob@hosted.example hosted.example/bob/\n").toString());
        s.put("virtual.mailbox.base", "/srv/vmail");
        s.put("transport.maps", file("transport", "relay.example smtp:[127.0.0.1]:2526\n").toString());
        s.put("relay.domains", "relay.example");
        s.put("recipient.canonical.maps", file("rcanonical", "old@example.org new@example.org\n").toString());
        s.put("sender.canonical.maps", file("scanonical", "alice@example.com alice.smith@example.com\n").toString());
        s.put("canonical.maps", file("canonical", "@legacy.example @example.org\n").toString());
        s.put("alias.maps", file("aliases", "sales: joe\n").toString());
        s.put("mailbox.transport", "lmtp:[127.0.0.1]:24");
        s.put("default.transport", "smtp:[smarthost.example]:587");
        PostbusConfig c = PostbusConfig.parse(s);

        RoutingPlan plan = c.router().route("alice@example.com", List.of("bob@hosted.example", "x@relay.example",
                "old@example.org", "ann@legacy.example", "sales@example.com"));
        assertThat(plan.sender()).isEqualTo("alice.smith@example.com");
        assertThat(plan.destinations()).extracting(Destination::name).containsExactly(
                "maildir:/srv/vmail/hosted.example/bob", "[127.0.0.1]:2526", "[smarthost.example]:587", "lmtp:[127.0.0.1]:24");
        assertThat(plan.destinations().get(2).addresses()).containsExactly("new@example.org", "ann@example.org");
        assertThat(plan.destinations().get(3).addresses()).containsExactly("joe@example.com");
    }

    @Test
    void everyRoutingProblemIsReportedAtStartAtOnce() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("myhostname", "mx.example.com");
        s.put("transport.maps", file("transport", "a.example uucp:host\nb.example smtp:10.0.0.1\nc.example error:4.0.0 x\n").toString());
        s.put("local.transport", "procmail");
        s.put("mailbox.transport", "local");
        s.put("virtual.mailbox.domains", "hosted.example");
        s.put("virtual.mailbox.maps", file("vmailbox", "bob@hosted.example hosted.example/bob\n").toString());
        s.put("virtual.mailbox.base", "/srv/vmail");
        assertThatThrownBy(() -> PostbusConfig.parse(s)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("local_transport: unknown mail transport 'procmail'");
        s.remove("local.transport");
        s.remove("mailbox.transport");
        assertThatThrownBy(() -> PostbusConfig.parse(s)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(4))
                .hasMessageContaining("entry 'a.example': unknown mail transport 'uucp'")
                .hasMessageContaining("entry 'b.example': next hop '10.0.0.1' is not one host name (an IP address needs [ ])")
                .hasMessageContaining("entry 'c.example': error: takes a 5.X.Y status")
                .hasMessageContaining("virtual.mailbox.maps: mailbox 'hosted.example/bob' is an mbox file");
        s.remove("virtual.mailbox.base");
        assertThatThrownBy(() -> PostbusConfig.parse(s)).hasMessageContaining("virtual.mailbox.base must be set");
        s.put("virtual.mailbox.base", "relative/dir");
        assertThatThrownBy(() -> PostbusConfig.parse(s)).hasMessageContaining("virtual_mailbox_base must be an absolute path");
    }

    @Test
    void aHostNameThatIsNoDomainStopsOnlyTheRouter() {
        PostbusConfig c = PostbusConfig.parse(Map.of("myhostname", "bad..name"));
        assertThat(c.addressing().classifier()).isEmpty();
        assertThatThrownBy(c::router).hasMessageContaining("myorigin 'bad..name' is not a domain name");
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("myhostname", "bad..name", "mydestination", "example.com")))
                .hasMessageContaining("myorigin");
    }
}
