package io.postbus.router.core;

import static io.postbus.router.core.RecipientOutcome.permanent;
import static io.postbus.router.core.RecipientOutcome.temporary;

import io.postbus.core.address.AddressLookup;
import io.postbus.core.address.MailAddress;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.address.SmtpReply;
import io.postbus.core.table.LookupTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * One envelope recipient from the client to its final addresses and their routes, as Postfix takes
 * it through cleanup(8) (canonical, virtual aliases), trivial-rewrite(8) (class, transport_maps) and
 * the delivery agents that decide before delivering: local(8) (aliases, then the mailbox), virtual(8)
 * (the mailbox path), error(8), retry(8) and discard(8).
 *
 * <p>local(8) expands an alias into its destinations; one that resolves to the local transport is
 * expanded in place, any other is forwarded, which in Postfix means cleanup again (canonical and
 * virtual aliasing) and a new resolution. An alias that names itself is delivered to the mailbox
 * (alias.c: "when an alias includes its own name, deliver to the user instead"); one that comes back
 * to itself through others, or nests deeper than 100, bounces with 5.4.6 "alias database loop".
 *
 * <p>If any rewriting on the way fails (cleanup's "4.6.0 Alias expansion error"), the whole original
 * recipient is deferred unexpanded, so that no part of its expansion is delivered twice later.
 */
final class RecipientResolver {
    /** local(8) alias.c: "if (state.level > 100)". */
    static final int NESTING_LIMIT = 100;
    /** Local parts that always have a mailbox, as the ingress accepts them without a table entry. */
    private static final Set<String> ALWAYS_LOCAL = Set.of("postmaster", "abuse", "mailer-daemon", "double-bounce");

    private final AddressRewriter rewriter;
    private final TransportResolver resolver;
    private final LocalAliases aliases;
    private final Mailboxes mailboxes;
    private final AddressLookup lookup;
    private final RecipientDelimiter delimiter;
    private final List<LookupTable> localUsers;
    private final List<LookupTable> virtualMailboxes;
    private final Optional<TransportEntry> mailboxTransport;

    RecipientResolver(RouterConfig config, AddressRewriter rewriter) {
        var addressing = config.classifier().config();
        this.rewriter = rewriter;
        this.resolver = new TransportResolver(config);
        this.delimiter = addressing.recipientDelimiter();
        this.aliases = new LocalAliases(config.aliasMaps(), delimiter, addressing.myorigin());
        this.mailboxes = new Mailboxes(config.mailSpoolDirectory(), config.virtualMailboxBase());
        this.lookup = AddressLookup.of(config.classifier());
        this.localUsers = config.localUserMaps();
        this.virtualMailboxes = addressing.virtualMailboxMaps();
        this.mailboxTransport = config.mailboxTransport();
    }

    /**
     * @param rewritten the recipient was deferred after rewriting (see RecipientOutcome.Deferred):
     *     resolve it from its address class on, without canonical maps and virtual aliases
     */
    List<RecipientOutcome> resolve(String original, boolean rewritten) {
        MailAddress address;
        try {
            address = MailAddress.parse(original);
        } catch (IllegalArgumentException e) {
            return List.of(new RecipientOutcome.Bounced(original, original,
                    permanent("5.1.3", "bad address syntax"), BounceCategory.BAD_MAILBOX));
        }
        Run run = new Run(original, address);
        run.each(rewritten ? rewriter.asRewritten(address) : rewriter.recipient(address), List.of(), 0);
        if (run.expansionError != null) {
            return List.of(new RecipientOutcome.Deferred(original, original, false,
                    temporary(AddressRewriter.EXPANSION_ERROR, "Alias expansion error: " + run.expansionError)));
        }
        return run.out;
    }

    /** The outcomes of one original recipient. */
    private final class Run {
        private final String original;
        private final MailAddress originalAddress;
        private final List<RecipientOutcome> out = new ArrayList<>();
        private String expansionError;

        Run(String original, MailAddress originalAddress) {
            this.original = original;
            this.originalAddress = originalAddress;
        }

        /** The address as text: the client's own spelling when nothing changed it (no ORCPT for case). */
        private String text(MailAddress a) {
            return a.equals(originalAddress) ? original : a.toString();
        }

        /** Every address of a rewriting result, or the end of the run if rewriting failed. */
        void each(AddressRewriter.Result result, List<String> aliasChain, int depth) {
            if (result.failed()) {
                expansionError = result.problem();
                return;
            }
            for (MailAddress a : result.addresses()) {
                if (expansionError != null) {
                    return;
                }
                deliver(a, resolver.resolve(a), aliasChain, depth);
            }
        }

        /** One address, by the transport its resolution names; the alias chain counts forwards too. */
        void deliver(MailAddress a, TransportResolver.Target target, List<String> aliasChain, int depth) {
            String hop = target.nexthop();
            switch (target.transport()) {
                case SMTP:
                case RELAY:
                    routed(a, smtp(hop, a.domain()));
                    break;
                case LMTP:
                    routed(a, new DeliveryRoute(Transport.LMTP, hop, a.domain()));
                    break;
                case ERROR:
                    StatusText error = StatusText.of(hop, "5.0.0", "Address is undeliverable");
                    bounce(a, error.status(), error.text(), BounceCategory.ofStatus(error.status()));
                    break;
                case RETRY:
                    StatusText retry = StatusText.of(hop, "4.0.0", "delivery temporarily suspended");
                    out.add(new RecipientOutcome.Deferred(original, text(a), true, temporary(retry.status(), retry.text())));
                    break;
                case DISCARD:
                    out.add(new RecipientOutcome.Discarded(original, text(a), hop.isEmpty() ? "discarded" : hop));
                    break;
                case LOCAL:
                    local(a, null, aliasChain, depth);
                    break;
                case VIRTUAL:
                    virtualMailbox(a);
                    break;
                default:
                    throw new IllegalStateException("unhandled transport " + target.transport());
            }
        }

        /**
         * local(8): aliases first, then the mailbox.
         *
         * @param parent the alias whose expansion named this address directly (not through a forward):
         *     an alias naming itself means its mailbox; coming back to it by a forward is a loop, which
         *     Postfix catches with the Delivered-To header ("mail forwarding loop", also 5.4.6)
         */
        void local(MailAddress a, String parent, List<String> aliasChain, int depth) {
            Optional<LocalAliases.Alias> found = aliases.find(a);
            if (found.isEmpty() || found.get().name().equalsIgnoreCase(parent)) {
                mailbox(a);
                return;
            }
            String name = found.get().name();
            if (depth >= NESTING_LIMIT || aliasChain.stream().anyMatch(name::equalsIgnoreCase)) {
                bounce(a, "5.4.6", "alias database loop for " + name, BounceCategory.ROUTING_LOOP);
                return;
            }
            List<String> chain = new ArrayList<>(aliasChain);
            chain.add(name);
            for (LocalAliases.Target t : found.get().targets()) {
                if (expansionError != null) {
                    return;
                }
                switch (t.kind()) {
                    case COMMAND:
                        bounce(a, "5.7.1", "mail to command is restricted", BounceCategory.POLICY);
                        break;
                    case FILE:
                        bounce(a, "5.7.1", "mail to file is restricted", BounceCategory.POLICY);
                        break;
                    default:
                        if (t.address() == null) {
                            bounce(a, "5.1.3", "bad address syntax in alias " + name, BounceCategory.BAD_MAILBOX);
                            break;
                        }
                        TransportResolver.Target next = resolver.resolve(t.address());
                        if (next.transport() == TransportName.LOCAL) {
                            local(t.address(), name, chain, depth + 1);
                        } else {
                            each(rewriter.recipient(t.address()), chain, depth + 1);
                        }
                }
            }
        }

        /** The user's mailbox: unknown users bounce as local(8) does without a password entry. */
        void mailbox(MailAddress a) {
            String user = delimiter.split(a.localPart()).map(RecipientDelimiter.Split::base).orElse(a.localPart());
            boolean known = localUsers.isEmpty() || ALWAYS_LOCAL.contains(user.toLowerCase(Locale.ROOT))
                    || lookup.contains(localUsers, a);
            Optional<String> dir = mailboxes.local(user);
            if (!known || dir.isEmpty()) {
                bounce(a, "5.1.1", "unknown user: \"" + user.toLowerCase(Locale.ROOT) + "\"", BounceCategory.BAD_MAILBOX);
                return;
            }
            if (mailboxTransport.isPresent()) {
                TransportEntry t = mailboxTransport.get();
                String hop = t.nexthop().isEmpty() ? a.domain() : t.nexthop();
                routed(a, t.name().orElseThrow() == TransportName.LMTP
                        ? new DeliveryRoute(Transport.LMTP, hop, a.domain()) : smtp(hop, a.domain()));
                return;
            }
            routed(a, new DeliveryRoute(Transport.MAILDIR, dir.get(), a.domain()));
        }

        /** virtual(8): the mailbox named by virtual_mailbox_maps, below virtual_mailbox_base. */
        void virtualMailbox(MailAddress a) {
            Optional<AddressLookup.Match> found = lookup.find(virtualMailboxes, a);
            if (found.isEmpty()) {
                bounce(a, "5.1.1", "unknown user: \"" + a + "\"", BounceCategory.BAD_MAILBOX);
                return;
            }
            Mailboxes.Location location = mailboxes.virtual(found.get().value());
            if (!location.found()) {
                // A configuration error, not the sender's: wait for the table or base to be fixed.
                out.add(new RecipientOutcome.Deferred(original, text(a), true,
                        temporary("4.3.5", "mail system configuration error: " + location.problem())));
                return;
            }
            routed(a, new DeliveryRoute(Transport.MAILDIR, location.directory(), a.domain()));
        }

        private void routed(MailAddress a, DeliveryRoute route) {
            out.add(new RecipientOutcome.Routed(original, text(a), route));
        }

        private void bounce(MailAddress a, String status, String text, BounceCategory category) {
            out.add(new RecipientOutcome.Bounced(original, text(a), permanent(status, text), category));
        }
    }

    /** SMTP to a next hop; a next hop equal to the recipient domain is the MX lookup of that domain. */
    private static DeliveryRoute smtp(String nexthop, String domain) {
        return nexthop.equalsIgnoreCase(domain) ? DeliveryRoute.mx(domain) : new DeliveryRoute(Transport.SMTP, nexthop, domain);
    }

    /** error(8)/retry(8) reasons: an optional RFC 3463 status, then text (Postfix's dsn_split). */
    record StatusText(String status, String text) {
        static StatusText of(String reason, String defaultStatus, String defaultText) {
            Matcher m = TransportEntry.STATUS.matcher(reason);
            String status = defaultStatus;
            String text = reason;
            if (m.lookingAt()) {
                text = reason.substring(m.end());
                if (reason.charAt(0) == defaultStatus.charAt(0)) {
                    status = m.group(1) + "." + m.group(2) + "." + m.group(3);
                }
            }
            return new StatusText(status, text.isBlank() ? defaultText : text.strip());
        }
    }
}
