package io.postbus.delivery.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Unique names per the Maildir spec (cr.yp.to/proto/maildir.html) with the Maildir++ size. */
class MaildirNamesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00.123456789Z"), ZoneOffset.UTC);

    @Test
    void nameIsSecondsMicrosPidCounterHostAndSize() {
        MaildirNames names = new MaildirNames(CLOCK, 4242, "mx1.example.net");
        assertThat(names.next(1234)).isEqualTo("1795255200.M123456P4242Q1.mx1.example.net,S=1234");
        assertThat(names.next(10)).as("the counter keeps two names in one microsecond apart")
                .isEqualTo("1795255200.M123456P4242Q2.mx1.example.net,S=10");
    }

    @Test
    void slashAndColonInTheHostnameAreEscapedAsTheSpecSays() {
        // "replace / with \057 and : with \072"
        assertThat(new MaildirNames(CLOCK, 1, "a/b:c").next(0)).endsWith(".a\\057b\\072c,S=0");
    }

    @Test
    void sizeIsReadBackFromAName() {
        assertThat(MaildirNames.sizeOf("1795255200.M1P2Q3.host,S=987")).isEqualTo(987);
        assertThat(MaildirNames.sizeOf("1795255200.M1P2Q3.host,S=987:2,S")).isEqualTo(987);
        assertThat(MaildirNames.sizeOf("1795255200.M1P2Q3.host")).isEqualTo(-1);
    }

    @Test
    void emptyHostnameAndNegativeSizeAreRefused() {
        assertThatThrownBy(() -> new MaildirNames(CLOCK, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaildirNames(CLOCK, 1, "h").next(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
