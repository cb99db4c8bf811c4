package io.postbus.core.address;

import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ValueList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * RCPT TO validation as Postfix's smtpd does it with {@code reject_unauth_destination} followed by
 * the implicit {@code reject_unlisted_recipient} (smtpd_check.c: permit_auth_destination and
 * check_rcpt_maps):
 * <ol>
 *   <li>A bare {@code postmaster} is always accepted (RFC 5321 §4.5.1).</li>
 *   <li>A recipient outside our address classes, or with sender-specified routing
 *       ({@code a@b@us}, {@code a%b@us}, {@code b!a@us}), is accepted only from a client that may
 *       relay; otherwise 554 5.7.1 Relay access denied.</li>
 *   <li>A recipient found in virtual_alias_maps is accepted, whatever its domain.</li>
 *   <li>Otherwise the class's table decides: virtual alias domains always (the alias table),
 *       local, virtual mailbox and relay domains only when their table is configured. A miss is
 *       550 5.1.1 with Postfix's text, e.g. "User unknown in local recipient table".</li>
 * </ol>
 * postmaster, abuse (RFC 2142 §4), MAILER-DAEMON and double-bounce at local domains never need a
 * table entry. The client's right to relay (mynetworks, SASL) is decided by the caller.
 */
public final class RecipientValidator {
    /** Local parts accepted at local domains without a table entry; Postfix exempts all but abuse. */
    private static final Set<String> ALWAYS_LOCAL = Set.of("postmaster", "abuse", "mailer-daemon", "double-bounce");
    private static final SmtpReply OK = new SmtpReply(250, "2.1.5", "Ok");

    private final AddressClassifier classifier;
    private final AddressLookup lookup;
    private final AddressingConfig config;

    public RecipientValidator(AddressClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.config = classifier.config();
        this.lookup = AddressLookup.of(classifier);
    }

    /** @param recipient the RCPT TO path without angle brackets, e.g. {@code joe+x@example.com} */
    public RecipientDecision validate(String recipient, boolean clientMayRelay) {
        return validate(MailAddress.parse(recipient), recipient, clientMayRelay);
    }

    public RecipientDecision validate(MailAddress recipient, boolean clientMayRelay) {
        return validate(recipient, recipient.toString(), clientMayRelay);
    }

    private RecipientDecision validate(MailAddress given, String asGiven, boolean clientMayRelay) {
        MailAddress rcpt = given.qualify(config.myorigin());
        AddressClass addressClass = classifier.classify(rcpt);
        if (!given.isQualified() && given.localPart().equalsIgnoreCase("postmaster")) {
            return accept(addressClass, rcpt);
        }
        boolean ourDestination = addressClass != AddressClass.DEFAULT && !isRouted(rcpt.localPart());
        if (!clientMayRelay && !ourDestination) {
            return new RecipientDecision(RecipientDecision.Verdict.RELAY_DENIED, addressClass, rcpt,
                    new SmtpReply(554, "5.7.1", "<" + asGiven + ">: Relay access denied"));
        }
        if (lookup.contains(config.virtualAliasMaps(), rcpt)) {
            return accept(addressClass, rcpt);
        }
        boolean listed;
        switch (addressClass) {
            case VIRTUAL_ALIAS:
                listed = false;
                break;
            case LOCAL:
                listed = ALWAYS_LOCAL.contains(rcpt.localPart().toLowerCase(Locale.ROOT))
                        || listedIfConfigured(config.localRecipientMaps(), rcpt);
                break;
            case VIRTUAL_MAILBOX:
                listed = listedIfConfigured(config.virtualMailboxMaps(), rcpt);
                break;
            case RELAY:
                listed = listedIfConfigured(config.relayRecipientMaps(), rcpt);
                break;
            default:
                listed = true;
        }
        if (!listed) {
            return new RecipientDecision(RecipientDecision.Verdict.UNKNOWN_USER, addressClass, rcpt,
                    new SmtpReply(550, "5.1.1", "<" + asGiven + ">: Recipient address rejected: User unknown in "
                            + addressClass.recipientTable()));
        }
        return accept(addressClass, rcpt);
    }

    private boolean listedIfConfigured(List<LookupTable> tables, MailAddress rcpt) {
        return tables.isEmpty() || lookup.contains(tables, rcpt);
    }

    private static RecipientDecision accept(AddressClass addressClass, MailAddress rcpt) {
        return new RecipientDecision(RecipientDecision.Verdict.ACCEPT, addressClass, rcpt, OK);
    }

    /** Sender-specified routing: '@', '%' or '!' in the local part, outside quotes. */
    static boolean isRouted(String localPart) {
        return ValueList.containsOutsideQuotes(localPart, '@') || ValueList.containsOutsideQuotes(localPart, '%')
                || ValueList.containsOutsideQuotes(localPart, '!');
    }
}
