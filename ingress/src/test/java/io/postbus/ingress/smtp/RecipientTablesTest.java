package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.address.RecipientValidator;
import io.postbus.core.net.Cidr;
import io.postbus.core.table.TableSnapshot;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RCPT TO consults the router's address classes (Postfix's smtpd_reject_unlisted_recipient and
 * reject_unauth_destination): unknown users at our domains get 550 5.1.1 at RCPT time, not a bounce later.
 */
class RecipientTablesTest {
    private final RecipientValidator validator = new RecipientValidator(new AddressClassifier(AddressingConfig.builder("example.com")
            .mydestination(List.of("example.com"))
            .localRecipientMaps(List.of(TableSnapshot.of("local_recipient_maps", Map.of("alice", "x", "bob", "x"))))
            .virtualAliasDomains(List.of("alias.example"))
            .virtualAliasMaps(List.of(TableSnapshot.of("virtual_alias_maps", Map.of("sales@alias.example", "alice@example.com"))))
            .relayDomains(List.of("relayed.example"))
            .relayRecipientMaps(List.of(TableSnapshot.of("relay_recipient_maps", Map.of("carol@relayed.example", "x"))))
            .recipientDelimiter(RecipientDelimiter.of("+-"))
            .build()));
    private final RelayPolicy relay = new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of(), Optional.of(validator));

    private String rcpt(String client, String to) throws Exception {
        SmtpSession s = new SmtpSession(new SessionSettings("mx.test", ListenerKind.SMTP, 10_000, 100, 100, true, 10), relay,
                InetAddress.getByName(client), null, () -> "Q1", () -> ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC),
                null, ClientRateLimits.unlimited());
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<x@sender.example>");
        return new String(s.onLine("RCPT TO:<" + to + ">").reply().toWire(), StandardCharsets.UTF_8);
    }

    @Test
    void knownUsersAliasesAndExtensionsAreAccepted() throws Exception {
        assertThat(rcpt("192.0.2.1", "alice@example.com")).startsWith("250 2.1.5");
        assertThat(rcpt("192.0.2.1", "bob+news@example.com")).as("recipient_delimiter").startsWith("250 2.1.5");
        assertThat(rcpt("192.0.2.1", "bob-news@example.com")).as("second delimiter").startsWith("250 2.1.5");
        assertThat(rcpt("192.0.2.1", "sales@alias.example")).startsWith("250 2.1.5");
        assertThat(rcpt("192.0.2.1", "carol@relayed.example")).startsWith("250 2.1.5");
        assertThat(rcpt("192.0.2.1", "postmaster@example.com")).as("RFC 5321 §4.5.1").startsWith("250 2.1.5");
    }

    @Test
    void unknownUsersGet550At_RcptWithPostfixsText() throws Exception {
        assertThat(rcpt("192.0.2.1", "mallory@example.com")).isEqualTo(
                "550 5.1.1 <mallory@example.com>: Recipient address rejected: User unknown in local recipient table\r\n");
        assertThat(rcpt("192.0.2.1", "nobody@alias.example")).startsWith("550 5.1.1").contains("virtual alias table");
        assertThat(rcpt("192.0.2.1", "dave@relayed.example")).startsWith("550 5.1.1").contains("relay recipient table");
        assertThat(rcpt("127.0.0.1", "mallory@example.com")).as("even from mynetworks").startsWith("550 5.1.1");
    }

    @Test
    void strangersDomainsNeedRelayPermission() throws Exception {
        assertThat(rcpt("192.0.2.1", "x@elsewhere.org")).isEqualTo("554 5.7.1 <x@elsewhere.org>: Relay access denied\r\n");
        assertThat(rcpt("127.0.0.1", "x@elsewhere.org")).as("mynetworks may relay").startsWith("250 2.1.5");
    }
}
