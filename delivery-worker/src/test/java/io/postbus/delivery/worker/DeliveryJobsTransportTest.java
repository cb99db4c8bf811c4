package io.postbus.delivery.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.delivery.core.Transport;
import org.junit.jupiter.api.Test;

/** The contract's transport as the delivery core sees it. */
class DeliveryJobsTransportTest {
    @Test
    void eachAvroTransportMapsToItsOwnAndUnknownIsSmtp() {
        assertThat(DeliveryJobs.transport(io.postbus.schemas.Transport.SMTP)).isEqualTo(Transport.SMTP);
        assertThat(DeliveryJobs.transport(io.postbus.schemas.Transport.LMTP)).isEqualTo(Transport.LMTP);
        assertThat(DeliveryJobs.transport(io.postbus.schemas.Transport.MAILDIR)).isEqualTo(Transport.MAILDIR);
        // The schema's default: a job from before routes carried a transport, when every job was SMTP.
        assertThat(DeliveryJobs.transport(io.postbus.schemas.Transport.UNKNOWN)).isEqualTo(Transport.SMTP);
    }
}
