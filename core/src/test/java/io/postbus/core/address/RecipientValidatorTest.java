package io.postbus.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.table.AliasesFormat;
import io.postbus.core.table.PostmapFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RCPT TO decisions as Postfix makes them with reject_unauth_destination and
 * smtpd_reject_unlisted_recipient (postconf(5); smtpd_check.c check_rcpt_maps).
 */
class RecipientValidatorTest {
    private static final boolean MAY_RELAY = true;
    private static final boolean STRANGER = false;

    private static final AddressingConfig CONFIG = AddressingConfig.builder("example.com")
            .mydestination(List.of("example.com", "localhost.example.com"))
            .localRecipientMaps(List.of(
                    PostmapFormat.parse("alice x\nbob x\n", "local_users"),
                    AliasesFormat.parse("root: alice\nsales: bob, carol\n", "aliases", Path.of("/"))))
            .virtualAliasDomains(List.of("alias.example"))
            .virtualAliasMaps(List.of(PostmapFormat.parse("""
                    info@alias.example alice@example.com
                    fwd@elsewhere.example alice@example.com
                    helpdesk@example.com bob@example.com
                    """, "virtual")))
            .virtualMailboxDomains(List.of("box.example"))
            .virtualMailboxMaps(List.of(PostmapFormat.parse("ann@box.example box.example/ann/\n", "vmailbox")))
            .relayDomains(List.of("relay.example", "open.example"))
            .relayRecipientMaps(List.of(PostmapFormat.parse("kate@relay.example x\n@open.example x\n", "relay_recipients")))
            .recipientDelimiter(RecipientDelimiter.of("+"))
            .build();

    private final RecipientValidator validator = new RecipientValidator(new AddressClassifier(CONFIG));

    private RecipientDecision check(String rcpt, boolean mayRelay) {
        return validator.validate(rcpt, mayRelay);
    }

    @Test
    void knownLocalUserIsAcceptedWith250() {
        RecipientDecision d = check("alice@example.com", STRANGER);
        assertThat(d.verdict()).isEqualTo(RecipientDecision.Verdict.ACCEPT);
        assertThat(d.addressClass()).isEqualTo(AddressClass.LOCAL);
        assertThat(d.reply()).hasToString("250 2.1.5 Ok");
        assertThat(d.accepted()).isTrue();
    }

    @Test
    void localUsersComeFromEveryLocalRecipientTableIgnoringCase() {
        // postconf(5) local_recipient_maps: user names (alias names included), searched by local part.
        assertThat(check("ROOT@Example.COM", STRANGER).accepted()).isTrue();
        assertThat(check("sales@localhost.example.com", STRANGER).accepted()).isTrue();
        assertThat(check("bob@example.com", STRANGER).accepted()).isTrue();
    }

    @Test
    void extensionIsCutToFindTheUser() {
        // recipient_delimiter: joe+foo is looked up as joe+foo, then joe.
        assertThat(check("alice+lists@example.com", STRANGER).accepted()).isTrue();
    }

    @Test
    void unknownLocalUserGetsPostfixsExactReply() {
        RecipientDecision d = check("nobody@example.com", STRANGER);
        assertThat(d.verdict()).isEqualTo(RecipientDecision.Verdict.UNKNOWN_USER);
        assertThat(d.reply()).hasToString(
                "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table");
        assertThat(d.reply().isPermanent()).isTrue();
    }

    @Test
    void emptyLocalRecipientMapsAcceptsAnyLocalUser() {
        // postconf(5): "local_recipient_maps =" (empty) turns the check off.
        RecipientValidator open = new RecipientValidator(new AddressClassifier(
                AddressingConfig.builder("example.com").mydestination(List.of("example.com")).build()));
        assertThat(open.validate("anyone@example.com", STRANGER).accepted()).isTrue();
    }

    @Test
    void postmasterAbuseAndMailerDaemonNeedNoTableEntry() {
        // RFC 5321 §4.5.1 postmaster; RFC 2142 §4 abuse; Postfix also exempts MAILER-DAEMON.
        assertThat(check("Postmaster@example.com", STRANGER).accepted()).isTrue();
        assertThat(check("abuse@example.com", STRANGER).accepted()).isTrue();
        assertThat(check("MAILER-DAEMON@example.com", STRANGER).accepted()).isTrue();
        // Only the exact local part: an extension is an ordinary user name.
        assertThat(check("postmaster+x@example.com", STRANGER).verdict()).isEqualTo(RecipientDecision.Verdict.UNKNOWN_USER);
        // Only at local domains.
        assertThat(check("postmaster@box.example", STRANGER).verdict()).isEqualTo(RecipientDecision.Verdict.UNKNOWN_USER);
    }

    @Test
    void barePostmasterIsAlwaysAccepted() {
        // RFC 5321 §4.5.1: "postmaster" without a domain must be accepted; Postfix smtpd_check_rcpt().
        RecipientDecision d = check("POSTMASTER", STRANGER);
        assertThat(d.accepted()).isTrue();
        assertThat(d.recipient()).isEqualTo(new MailAddress("POSTMASTER", "example.com"));
    }

    @Test
    void bareLocalPartsAreQualifiedWithMyorigin() {
        assertThat(check("alice", STRANGER).accepted()).isTrue();
        assertThat(check("nobody", STRANGER).reply()).hasToString(
                "550 5.1.1 <nobody>: Recipient address rejected: User unknown in local recipient table");
    }

    @Test
    void virtualAliasDomainAcceptsOnlyAliasedAddresses() {
        RecipientDecision ok = check("info@alias.example", STRANGER);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.addressClass()).isEqualTo(AddressClass.VIRTUAL_ALIAS);
        assertThat(check("who@alias.example", STRANGER).reply()).hasToString(
                "550 5.1.1 <who@alias.example>: Recipient address rejected: User unknown in virtual alias table");
    }

    @Test
    void aVirtualAliasAcceptsTheAddressInAnyClass() {
        // check_rcpt_maps accepts anything virtual_alias_maps matches before the class tables.
        assertThat(check("helpdesk@example.com", STRANGER).accepted()).isTrue();
    }

    @Test
    void relayingIsDecidedBeforeAliasesForForeignDomains() {
        // fwd@elsewhere.example is aliased, but elsewhere.example is not ours: strangers may not relay.
        assertThat(check("fwd@elsewhere.example", STRANGER).verdict()).isEqualTo(RecipientDecision.Verdict.RELAY_DENIED);
        RecipientDecision d = check("fwd@elsewhere.example", MAY_RELAY);
        assertThat(d.accepted()).isTrue();
        assertThat(d.addressClass()).isEqualTo(AddressClass.DEFAULT);
    }

    @Test
    void virtualMailboxDomain() {
        assertThat(check("ann@box.example", STRANGER).accepted()).isTrue();
        RecipientDecision d = check("bert@box.example", STRANGER);
        assertThat(d.addressClass()).isEqualTo(AddressClass.VIRTUAL_MAILBOX);
        assertThat(d.reply()).hasToString(
                "550 5.1.1 <bert@box.example>: Recipient address rejected: User unknown in virtual mailbox table");
    }

    @Test
    void relayDomainWithRecipientTable() {
        assertThat(check("kate@relay.example", STRANGER).accepted()).isTrue();
        assertThat(check("anyone@open.example", STRANGER).accepted()).as("@domain entry").isTrue();
        assertThat(check("carl@relay.example", STRANGER).reply()).hasToString(
                "550 5.1.1 <carl@relay.example>: Recipient address rejected: User unknown in relay recipient table");
    }

    @Test
    void tablesWithoutConfigurationAcceptEveryone() {
        RecipientValidator v = new RecipientValidator(new AddressClassifier(AddressingConfig.builder("example.com")
                .virtualMailboxDomains(List.of("box.example")).relayDomains(List.of("relay.example")).build()));
        assertThat(v.validate("x@box.example", STRANGER).accepted()).isTrue();
        assertThat(v.validate("x@relay.example", STRANGER).accepted()).isTrue();
    }

    @Test
    void foreignDomainIsRelayAccessDeniedForStrangers() {
        RecipientDecision d = check("joe@elsewhere.example", STRANGER);
        assertThat(d.verdict()).isEqualTo(RecipientDecision.Verdict.RELAY_DENIED);
        assertThat(d.addressClass()).isEqualTo(AddressClass.DEFAULT);
        assertThat(d.reply()).hasToString("554 5.7.1 <joe@elsewhere.example>: Relay access denied");
    }

    @Test
    void foreignDomainIsAcceptedFromAClientThatMayRelay() {
        RecipientDecision d = check("joe@elsewhere.example", MAY_RELAY);
        assertThat(d.verdict()).isEqualTo(RecipientDecision.Verdict.ACCEPT);
        assertThat(d.addressClass()).isEqualTo(AddressClass.DEFAULT);
    }

    @Test
    void unlistedRecipientsAreRejectedForRelayingClientsToo() {
        // smtpd_reject_unlisted_recipient applies whoever the client is.
        assertThat(check("nobody@example.com", MAY_RELAY).verdict()).isEqualTo(RecipientDecision.Verdict.UNKNOWN_USER);
    }

    @Test
    void senderSpecifiedRoutingIsNotOurDestination() {
        // postconf(5) reject_unauth_destination: our domains count only without sender-specified
        // routing (user@elsewhere@domain, user%elsewhere@domain, elsewhere!user@domain).
        for (String routed : List.of("x%elsewhere.example@relay.example", "elsewhere.example!x@example.com",
                "x@elsewhere.example@open.example")) {
            assertThat(check(routed, STRANGER).verdict()).as(routed).isEqualTo(RecipientDecision.Verdict.RELAY_DENIED);
        }
        assertThat(check("x%elsewhere.example@open.example", MAY_RELAY).accepted()).isTrue();
        assertThat(check("\"odd%name\"@open.example", STRANGER).accepted()).as("quoted, not routing").isTrue();
    }

    @Test
    void mailAddressOverloadGivesTheSameDecision() {
        assertThat(validator.validate(MailAddress.parse("nobody@example.com"), STRANGER).reply())
                .isEqualTo(check("nobody@example.com", STRANGER).reply());
    }
}
