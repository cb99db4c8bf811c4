package io.postbus.delivery.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.smtp.DsnParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpEnvelopesTest {

    @Test
    void aRecipientWithoutOrcptGetsItsOwnAddressAsPostfixSends() {
        DeliveryRequest.Recipient plain = new DeliveryRequest.Recipient("bob@example.net", null, null);
        DeliveryRequest.Recipient aliased = new DeliveryRequest.Recipient("box@example.net", null, "rfc822;alias@example.org");
        DsnParameters dsn = SmtpEnvelopes.dsn(request(List.of(plain, aliased)));
        assertThat(dsn.recipients().get("bob@example.net").originalRecipient()).isEqualTo("rfc822;bob@example.net");
        assertThat(dsn.recipients().get("box@example.net").originalRecipient()).isEqualTo("rfc822;alias@example.org");
    }

    private static DeliveryRequest request(List<DeliveryRequest.Recipient> recipients) {
        return new DeliveryRequest(io.postbus.delivery.core.Transport.SMTP, "example.net", null, "alice@example.org",
                recipients, new byte[] {'x'}, false, false, null, null);
    }
}
