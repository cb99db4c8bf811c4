package io.postbus.router.core;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.table.LookupTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the router resolves with. The tables are the live ones (a reloaded file is seen by the
 * next lookup); address classes, virtual_alias_maps and recipient_delimiter come with the classifier,
 * the same one the ingress validates RCPT TO with.
 *
 * @param aliasMaps alias_maps: aliases(5) tables, read by the local transport only
 * @param localUserMaps the users at local domains (local.recipient.maps without the aliases), standing
 *     in for local(8)'s password file lookup; empty = every local part is a user
 * @param mailSpoolDirectory where the local transport keeps Maildirs, one per user (Postfix
 *     mail_spool_directory with a trailing '/': "maildir-style delivery")
 * @param virtualMailboxBase virtual_mailbox_base: the virtual transport's Maildirs are below it
 * @param mailboxTransport mailbox_transport: local(8) expands aliases, then hands mailbox delivery to
 *     this transport (an LMTP server, typically) instead of writing the Maildir itself
 */
public record RouterConfig(
        AddressClassifier classifier,
        RoutingTable routing,
        ClassTransports transports,
        List<LookupTable> transportMaps,
        List<LookupTable> aliasMaps,
        List<LookupTable> localUserMaps,
        List<LookupTable> canonicalMaps,
        List<LookupTable> senderCanonicalMaps,
        List<LookupTable> recipientCanonicalMaps,
        Path mailSpoolDirectory,
        Optional<Path> virtualMailboxBase,
        Optional<TransportEntry> mailboxTransport) {

    public RouterConfig {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(transports, "transports");
        transportMaps = List.copyOf(transportMaps);
        aliasMaps = List.copyOf(aliasMaps);
        localUserMaps = List.copyOf(localUserMaps);
        canonicalMaps = List.copyOf(canonicalMaps);
        senderCanonicalMaps = List.copyOf(senderCanonicalMaps);
        recipientCanonicalMaps = List.copyOf(recipientCanonicalMaps);
        Objects.requireNonNull(mailSpoolDirectory, "mailSpoolDirectory");
        Objects.requireNonNull(virtualMailboxBase, "virtualMailboxBase");
        Objects.requireNonNull(mailboxTransport, "mailboxTransport");
        List<String> problems = new ArrayList<>();
        if (!mailSpoolDirectory.isAbsolute()) {
            problems.add("mail_spool_directory must be an absolute path: " + mailSpoolDirectory);
        }
        virtualMailboxBase.filter(p -> !p.isAbsolute())
                .ifPresent(p -> problems.add("virtual_mailbox_base must be an absolute path: " + p));
        mailboxTransport.ifPresent(t -> {
            if (t.name().filter(TransportName::connects).isEmpty()) {
                problems.add("mailbox_transport must be smtp, relay or lmtp with a next hop, not '" + t + "'");
            } else {
                t.problem().ifPresent(p -> problems.add("mailbox_transport: " + p));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Why a virtual_mailbox_maps value cannot be a mailbox for the virtual transport, if it cannot. */
    public Optional<String> virtualMailboxProblem(String value) {
        Mailboxes.Location location = new Mailboxes(mailSpoolDirectory, virtualMailboxBase).virtual(value);
        return location.found() ? Optional.empty() : Optional.of(location.problem());
    }

    /** Postfix's defaults around a classifier: no tables, no relayhost, Maildirs under {@code spool}. */
    public static Builder builder(AddressClassifier classifier, Path mailSpoolDirectory) {
        return new Builder(classifier, mailSpoolDirectory);
    }

    public static final class Builder {
        private final AddressClassifier classifier;
        private final Path mailSpoolDirectory;
        private RoutingTable routing = new RoutingTable(null, java.util.Map.of());
        private ClassTransports transports = ClassTransports.defaults();
        private List<LookupTable> transportMaps = List.of();
        private List<LookupTable> aliasMaps = List.of();
        private List<LookupTable> localUserMaps = List.of();
        private List<LookupTable> canonicalMaps = List.of();
        private List<LookupTable> senderCanonicalMaps = List.of();
        private List<LookupTable> recipientCanonicalMaps = List.of();
        private Optional<Path> virtualMailboxBase = Optional.empty();
        private Optional<TransportEntry> mailboxTransport = Optional.empty();

        private Builder(AddressClassifier classifier, Path mailSpoolDirectory) {
            this.classifier = classifier;
            this.mailSpoolDirectory = mailSpoolDirectory;
        }

        public Builder routing(RoutingTable v) {
            routing = v;
            return this;
        }

        public Builder transports(ClassTransports v) {
            transports = v;
            return this;
        }

        public Builder transportMaps(List<LookupTable> v) {
            transportMaps = v;
            return this;
        }

        public Builder aliasMaps(List<LookupTable> v) {
            aliasMaps = v;
            return this;
        }

        public Builder localUserMaps(List<LookupTable> v) {
            localUserMaps = v;
            return this;
        }

        public Builder canonicalMaps(List<LookupTable> v) {
            canonicalMaps = v;
            return this;
        }

        public Builder senderCanonicalMaps(List<LookupTable> v) {
            senderCanonicalMaps = v;
            return this;
        }

        public Builder recipientCanonicalMaps(List<LookupTable> v) {
            recipientCanonicalMaps = v;
            return this;
        }

        public Builder virtualMailboxBase(Path v) {
            virtualMailboxBase = Optional.ofNullable(v);
            return this;
        }

        public Builder mailboxTransport(TransportEntry v) {
            mailboxTransport = Optional.ofNullable(v);
            return this;
        }

        public RouterConfig build() {
            return new RouterConfig(classifier, routing, transports, transportMaps, aliasMaps, localUserMaps,
                    canonicalMaps, senderCanonicalMaps, recipientCanonicalMaps, mailSpoolDirectory,
                    virtualMailboxBase, mailboxTransport);
        }
    }
}
