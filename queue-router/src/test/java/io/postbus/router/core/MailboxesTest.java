package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Maildir paths never leave their base, whatever a recipient or a table says. */
class MailboxesTest {
    private final Mailboxes boxes = new Mailboxes(Path.of("/var/mail"), Optional.of(Path.of("/srv/vmail")));

    @Test
    void localUsersAreLowerCaseNamesInTheSpool() {
        assertThat(boxes.local("Joe.Doe")).contains("/var/mail/joe.doe");
        assertThat(boxes.local("o'brien")).contains("/var/mail/o'brien");
        assertThat(boxes.local("..")).isEmpty();
        assertThat(boxes.local("a..b")).isEmpty();
        assertThat(boxes.local(".profile")).isEmpty();
        assertThat(boxes.local("a/b")).isEmpty();
        assertThat(boxes.local("\"john doe\"")).isEmpty();
    }

    @Test
    void virtualMailboxesAreMaildirsStrictlyBelowTheBase() {
        assertThat(boxes.virtual("example.com/joe/").directory()).isEqualTo("/srv/vmail/example.com/joe");
        assertThat(boxes.virtual("example.com/./joe/").directory()).isEqualTo("/srv/vmail/example.com/joe");
        assertThat(boxes.virtual("example.com/joe").problem()).contains("mbox");
        assertThat(boxes.virtual("../etc/").found()).isFalse();
        assertThat(boxes.virtual("a/../../etc/").found()).isFalse();
        assertThat(boxes.virtual("./").found()).isFalse();
        assertThat(boxes.virtual("/etc/").found()).isFalse();
        assertThat(new Mailboxes(Path.of("/var/mail"), Optional.empty()).virtual("a/").problem())
                .isEqualTo("virtual_mailbox_base is not set");
    }
}
