package io.postbus.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Topic names; a derived site (named after MX hosts) has a delivery topic name but no topic. */
class TopicsTest {
    private final Topics topics = new Topics("postbus.");

    @Test
    void configuredSitesHaveTopicsTheDeliveryWorkersSubscribeTo() {
        assertThat(topics.deliver("Gmail")).isEqualTo("postbus.mail.deliver.gmail");
        assertThat(topics.deliverPattern().matcher(topics.deliver("default")).matches()).isTrue();
    }

    @Test
    void aDerivedSiteGetsAWellFormedNameNoDeliveryTopicHas() {
        // A delivery worker compares a job's topic with deliver(job.site): that must not throw.
        String derived = topics.deliver("mx1.hoster.example_mx2.hoster.example");
        assertThat(derived).isEqualTo("postbus.mail.deliver.mx1.hoster.example_mx2.hoster.example").matches("[A-Za-z0-9._-]+");
        assertThat(topics.deliverPattern().matcher(derived).matches()).isFalse();
        assertThat(topics.deliver("lmtp_127.0.0.1_24")).endsWith(".lmtp_127.0.0.1_24");
    }

    @Test
    void namesKafkaCannotHoldAreRefused() {
        assertThatThrownBy(() -> topics.deliver("[10.0.0.1]:25")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> topics.deliver(".hidden")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> topics.retry("5.m")).isInstanceOf(IllegalArgumentException.class);
    }
}
