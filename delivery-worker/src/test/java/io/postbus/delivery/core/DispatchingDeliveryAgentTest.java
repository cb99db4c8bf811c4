package io.postbus.delivery.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.delivery.core.DeliveryReport.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each transport reaches its own agent; one without an agent waits instead of being lost or bounced. */
class DispatchingDeliveryAgentTest {
    private static DeliveryRequest request(Transport t, String hop) {
        return new DeliveryRequest(t, "example.net", hop, "a@example.org",
                List.of(new DeliveryRequest.Recipient("b@example.net", null, null),
                        new DeliveryRequest.Recipient("c@example.net", null, null)),
                new byte[] {'x'}, false, false, null, null);
    }

    /** Answers every recipient with a reply naming itself, and remembers what it was given. */
    private static final class Named implements DeliveryAgent {
        final String name;
        final List<DeliveryRequest> seen = new ArrayList<>();

        Named(String name) {
            this.name = name;
        }

        @Override
        public DeliveryReport deliver(DeliveryRequest request) {
            seen.add(request);
            return DeliveryReport.all(request, Outcome.DELIVERED, new RemoteReply(250, "2.0.0", name), 0);
        }
    }

    @Test
    void eachTransportGoesToItsAgent() {
        Named smtp = new Named("smtp");
        Named maildir = new Named("maildir");
        Named lmtp = new Named("lmtp");
        var agent = new DispatchingDeliveryAgent(Map.of(Transport.SMTP, smtp, Transport.MAILDIR, maildir, Transport.LMTP, lmtp));

        assertThat(agent.deliver(request(Transport.MAILDIR, "/var/mail/vhosts/example.net/b/")).results().get(0).reply().text())
                .isEqualTo("maildir");
        assertThat(agent.deliver(request(Transport.LMTP, "[10.0.0.5]:24")).results().get(0).reply().text()).isEqualTo("lmtp");
        assertThat(agent.deliver(request(Transport.SMTP, null)).results().get(0).reply().text()).isEqualTo("smtp");
        assertThat(maildir.seen).singleElement().extracting(DeliveryRequest::nextHop).isEqualTo("/var/mail/vhosts/example.net/b/");
        assertThat(smtp.seen).hasSize(1);
        assertThat(lmtp.seen).hasSize(1);
    }

    @Test
    void aTransportWithoutAnAgentIsDeferredWith430ForEveryRecipient() {
        Named smtp = new Named("smtp");
        DeliveryReport report = new DispatchingDeliveryAgent(Map.of(Transport.SMTP, smtp))
                .deliver(request(Transport.LMTP, "[10.0.0.5]:24"));
        assertThat(report.results()).hasSize(2).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.reply().isPermanent()).isFalse();
            assertThat(r.reply().dsnStatus()).isEqualTo("4.3.0");
            assertThat(r.reply().text()).isEqualTo("LMTP delivery not available yet");
        });
        assertThat(smtp.seen).as("never sent to an LMTP port as SMTP").isEmpty();
    }
}
