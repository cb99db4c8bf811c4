package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MailAddressTest {

    @Test
    void splitsAtTheLastAtSignAndFoldsOnlyTheDomain() {
        MailAddress a = MailAddress.parse("\"a@b\"+X@Example.COM.");
        assertThat(a.localPart()).isEqualTo("\"a@b\"+X");
        assertThat(a.domain()).isEqualTo("example.com");
        assertThat(a).hasToString("\"a@b\"+X@example.com");
    }

    @Test
    void bareLocalPartIsQualifiedWithMyorigin() {
        // Postfix append_at_myorigin: "user" becomes "user@$myorigin".
        MailAddress a = MailAddress.parse("Joe");
        assertThat(a.isQualified()).isFalse();
        assertThat(a.qualify("example.com")).isEqualTo(new MailAddress("Joe", "example.com"));
        assertThat(MailAddress.parse("joe@a.example").qualify("example.com").domain()).isEqualTo("a.example");
    }

    @Test
    void lineBreaksAndEmptyLocalPartsAreRejected() {
        // STYLE.md §6: reject CR/LF in anything that may reach an SMTP line.
        assertThatThrownBy(() -> MailAddress.parse("a\r\nRCPT TO:<b>@x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailAddress.parse("@example.com")).isInstanceOf(IllegalArgumentException.class);
    }
}
