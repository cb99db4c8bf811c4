package io.postbus.core.address;

import java.util.Objects;

/**
 * Puts a recipient domain in its Postfix address class. The lists are tried in trivial-rewrite's
 * order (resolve.c): mydestination, virtual_alias_domains, virtual_mailbox_domains, relay_domains;
 * since one domain cannot be named in two lists (AddressingConfig), the order only matters when a
 * {@code .example.com} entry in one list overlaps a more specific name in another.
 */
public final class AddressClassifier {
    private final AddressingConfig config;
    private final DomainList local;
    private final DomainList virtualAlias;
    private final DomainList virtualMailbox;
    private final DomainList relay;

    public AddressClassifier(AddressingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = DomainList.of(config.mydestination(), false);
        this.virtualAlias = DomainList.of(config.virtualAliasDomains(), false);
        this.virtualMailbox = DomainList.of(config.virtualMailboxDomains(), false);
        this.relay = DomainList.of(config.relayDomains(), config.relayDomainsMatchSubdomains());
    }

    public AddressingConfig config() {
        return config;
    }

    /** The class of a domain; an empty domain (unqualified address) is taken as myorigin. */
    public AddressClass classify(String domain) {
        String d = domain.isEmpty() ? config.myorigin() : domain;
        if (local.matches(d)) {
            return AddressClass.LOCAL;
        }
        if (virtualAlias.matches(d)) {
            return AddressClass.VIRTUAL_ALIAS;
        }
        if (virtualMailbox.matches(d)) {
            return AddressClass.VIRTUAL_MAILBOX;
        }
        if (relay.matches(d)) {
            return AddressClass.RELAY;
        }
        return AddressClass.DEFAULT;
    }

    public AddressClass classify(MailAddress address) {
        return classify(address.domain());
    }

    /**
     * Whether table lookups may also try the bare local part for this domain: mail_addr_find(3)
     * does so when the domain equals myorigin or matches mydestination (resolve_local).
     */
    public boolean isLocalForLookups(String domain) {
        String d = DomainList.normalize(domain);
        return d.equals(config.myorigin()) || local.matches(d);
    }
}
