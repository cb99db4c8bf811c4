package io.postbus.delivery.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.delivery.core.BounceClassifier.BounceKind;
import org.junit.jupiter.api.Test;

/** RFC 3463 subject.detail codes to bounce classes. */
class BounceClassifierTest {
    private static BounceKind of(String status, String text) {
        return BounceClassifier.classify(new RemoteReply(550, status, text));
    }

    @Test
    void classifiesByEnhancedStatus() {
        assertThat(of("5.1.1", "no such user")).isEqualTo(BounceKind.BAD_MAILBOX);
        assertThat(of("5.1.2", "bad destination")).isEqualTo(BounceKind.BAD_DOMAIN);
        assertThat(of("5.1.10", "null MX")).isEqualTo(BounceKind.BAD_DOMAIN);
        assertThat(of("5.2.2", "mailbox full")).isEqualTo(BounceKind.MAILBOX_FULL);
        assertThat(of("5.3.4", "too big")).isEqualTo(BounceKind.MESSAGE_TOO_BIG);
        assertThat(of("5.4.6", "loop")).isEqualTo(BounceKind.ROUTING_LOOP);
        assertThat(of("5.7.1", "Message rejected as spam")).isEqualTo(BounceKind.SPAM_BLOCK);
        assertThat(of("5.7.1", "relay denied")).isEqualTo(BounceKind.POLICY);
        assertThat(of("5.7.26", "DMARC")).isEqualTo(BounceKind.REPUTATION);
        assertThat(of("5.7.99", "?")).isEqualTo(BounceKind.POLICY);
        assertThat(of(null, "no status")).isEqualTo(BounceKind.OTHER);
        assertThat(of("5.0.0", "?")).isEqualTo(BounceKind.OTHER);
    }
}
