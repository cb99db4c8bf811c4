package io.postbus.delivery.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.bounce.BounceClass;
import io.postbus.core.bounce.BounceRules;
import org.junit.jupiter.api.Test;

/** RFC 3463 codes and reply texts to bounce classes, through the rules file (core.bounce). */
class BounceClassifierTest {
    private static BounceClass of(String status, String text) {
        return BounceClassifier.builtIn().classify(new RemoteReply(550, status, text)).bounceClass();
    }

    @Test
    void classifiesByEnhancedStatus() {
        assertThat(of("5.1.1", "no such user")).isEqualTo(BounceClass.BAD_MAILBOX);
        assertThat(of("5.1.2", "bad destination")).isEqualTo(BounceClass.BAD_DOMAIN);
        assertThat(of("5.1.10", "null MX")).isEqualTo(BounceClass.BAD_DOMAIN);
        assertThat(of("5.2.2", "mailbox full")).isEqualTo(BounceClass.MAILBOX_FULL);
        assertThat(of("5.3.4", "too big")).isEqualTo(BounceClass.MESSAGE_TOO_BIG);
        assertThat(of("5.4.6", "loop")).isEqualTo(BounceClass.ROUTING_LOOP);
        assertThat(of("5.7.1", "Message rejected as spam")).isEqualTo(BounceClass.SPAM_BLOCK);
        assertThat(of("5.7.1", "relay denied")).isEqualTo(BounceClass.POLICY);
        assertThat(of("5.7.26", "DMARC")).isEqualTo(BounceClass.REPUTATION);
        assertThat(of("5.7.99", "?")).isEqualTo(BounceClass.POLICY);
        assertThat(of(null, "no status")).isEqualTo(BounceClass.OTHER);
        assertThat(of("5.0.0", "?")).isEqualTo(BounceClass.OTHER);
    }

    @Test
    void classifiesByTextWhenTheServerSendsNoEnhancedCode() {
        assertThat(of(null, "Requested action not taken: mailbox unavailable")).isEqualTo(BounceClass.BAD_MAILBOX);
        assertThat(of(null, "Client host [192.0.2.1] blocked using zen.spamhaus.org")).isEqualTo(BounceClass.SPAM_BLOCK);
    }

    @Test
    void operatorRulesComeFirst() {
        BounceClassifier c = new BounceClassifier(BounceRules.parse("MAILBOX_FULL 5.1.1 quota\n", "ops").then(BounceRules.builtIn()));
        assertThat(c.classify(new RemoteReply(550, "5.1.1", "quota exceeded")).bounceClass()).isEqualTo(BounceClass.MAILBOX_FULL);
        assertThat(c.classify(new RemoteReply(550, "5.1.1", "no such user")).bounceClass()).isEqualTo(BounceClass.BAD_MAILBOX);
    }
}
