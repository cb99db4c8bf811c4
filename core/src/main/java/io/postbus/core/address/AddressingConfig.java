package io.postbus.core.address;

import io.postbus.core.config.ConfigException;
import io.postbus.core.table.LookupTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Postfix parameters that decide address classes and recipient validation, validated at
 * construction: every problem is listed at once in a {@link ConfigException}. A domain named in
 * two classes is such a problem (Postfix's resolve.c only warns: "do not list domain X in BOTH
 * virtual_alias_domains and virtual_mailbox_domains"; we refuse to start). An empty table list means the parameter is empty in main.cf; for
 * local_recipient_maps that means any user in a local domain is accepted, as in Postfix.
 * mynetworks is not here: whether a client may relay is the caller's decision.
 *
 * @param relayDomainsMatchSubdomains whether relay_domains is in parent_domain_matches_subdomains;
 *     Postfix's built-in default lists it (mail_params.h DEF_PAR_DOM_MATCH). We default to false,
 *     because an implicit subdomain match widens where strangers may relay to; {@code .example.com}
 *     entries match subdomains either way.
 * @param propagateVirtualExtensions propagate_unmatched_extensions contains "virtual" (the default)
 */
public record AddressingConfig(
        String myorigin,
        List<String> mydestination,
        List<String> virtualAliasDomains,
        List<LookupTable> virtualAliasMaps,
        List<String> virtualMailboxDomains,
        List<LookupTable> virtualMailboxMaps,
        List<String> relayDomains,
        boolean relayDomainsMatchSubdomains,
        List<LookupTable> relayRecipientMaps,
        List<LookupTable> localRecipientMaps,
        RecipientDelimiter recipientDelimiter,
        boolean propagateVirtualExtensions,
        int virtualAliasRecursionLimit,
        int virtualAliasExpansionLimit,
        int virtualAliasAddressLengthLimit) {

    /** Postfix's defaults for the three virtual_alias_*_limit parameters. */
    public static final int DEFAULT_VIRTUAL_ALIAS_LIMIT = 1000;

    public AddressingConfig {
        mydestination = copy(mydestination, "mydestination");
        virtualAliasDomains = copy(virtualAliasDomains, "virtual_alias_domains");
        virtualAliasMaps = copy(virtualAliasMaps, "virtual_alias_maps");
        virtualMailboxDomains = copy(virtualMailboxDomains, "virtual_mailbox_domains");
        virtualMailboxMaps = copy(virtualMailboxMaps, "virtual_mailbox_maps");
        relayDomains = copy(relayDomains, "relay_domains");
        relayRecipientMaps = copy(relayRecipientMaps, "relay_recipient_maps");
        localRecipientMaps = copy(localRecipientMaps, "local_recipient_maps");
        Objects.requireNonNull(recipientDelimiter, "recipientDelimiter");

        List<String> problems = new ArrayList<>();
        if (myorigin == null || DomainList.problem(myorigin) != null || myorigin.trim().startsWith(".")) {
            problems.add("myorigin: '" + myorigin + "' is not a domain name");
        } else {
            myorigin = DomainList.normalize(myorigin);
        }
        Map<String, List<String>> domains = new LinkedHashMap<>();
        domains.put("mydestination", mydestination);
        domains.put("virtual_alias_domains", virtualAliasDomains);
        domains.put("virtual_mailbox_domains", virtualMailboxDomains);
        domains.put("relay_domains", relayDomains);
        Map<String, String> owner = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> list : domains.entrySet()) {
            for (String entry : list.getValue()) {
                String problem = DomainList.problem(entry);
                if (problem != null) {
                    problems.add(list.getKey() + ": " + problem);
                    continue;
                }
                String domain = DomainList.normalize(entry);
                String first = owner.putIfAbsent(domain, list.getKey());
                if (first != null && !first.equals(list.getKey())) {
                    problems.add("domain " + domain + " is listed in both " + first + " and " + list.getKey()
                            + "; a domain belongs to one address class");
                }
            }
        }
        if (!virtualAliasDomains.isEmpty() && virtualAliasMaps.isEmpty()) {
            problems.add("virtual_alias_domains is set but virtual_alias_maps is empty: every address there would be unknown");
        }
        checkLimit(problems, "virtual_alias_recursion_limit", virtualAliasRecursionLimit);
        checkLimit(problems, "virtual_alias_expansion_limit", virtualAliasExpansionLimit);
        checkLimit(problems, "virtual_alias_address_length_limit", virtualAliasAddressLengthLimit);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static <T> List<T> copy(List<T> list, String name) {
        Objects.requireNonNull(list, name);
        for (T t : list) {
            Objects.requireNonNull(t, name + " entry");
        }
        return List.copyOf(list);
    }

    private static void checkLimit(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add(name + " must be at least 1: " + value);
        }
    }

    public static Builder builder(String myorigin) {
        return new Builder(myorigin);
    }

    /** Postfix's defaults for everything not set: empty lists, no delimiter, limits of 1000. */
    public static final class Builder {
        private final String myorigin;
        private List<String> mydestination = List.of();
        private List<String> virtualAliasDomains = List.of();
        private List<LookupTable> virtualAliasMaps = List.of();
        private List<String> virtualMailboxDomains = List.of();
        private List<LookupTable> virtualMailboxMaps = List.of();
        private List<String> relayDomains = List.of();
        private boolean relayDomainsMatchSubdomains;
        private List<LookupTable> relayRecipientMaps = List.of();
        private List<LookupTable> localRecipientMaps = List.of();
        private RecipientDelimiter recipientDelimiter = RecipientDelimiter.NONE;
        private boolean propagateVirtualExtensions = true;
        private int recursionLimit = DEFAULT_VIRTUAL_ALIAS_LIMIT;
        private int expansionLimit = DEFAULT_VIRTUAL_ALIAS_LIMIT;
        private int addressLengthLimit = DEFAULT_VIRTUAL_ALIAS_LIMIT;

        private Builder(String myorigin) {
            this.myorigin = myorigin;
        }

        public Builder mydestination(List<String> v) {
            mydestination = v;
            return this;
        }

        public Builder virtualAliasDomains(List<String> v) {
            virtualAliasDomains = v;
            return this;
        }

        public Builder virtualAliasMaps(List<LookupTable> v) {
            virtualAliasMaps = v;
            return this;
        }

        public Builder virtualMailboxDomains(List<String> v) {
            virtualMailboxDomains = v;
            return this;
        }

        public Builder virtualMailboxMaps(List<LookupTable> v) {
            virtualMailboxMaps = v;
            return this;
        }

        public Builder relayDomains(List<String> v) {
            relayDomains = v;
            return this;
        }

        public Builder relayDomainsMatchSubdomains(boolean v) {
            relayDomainsMatchSubdomains = v;
            return this;
        }

        public Builder relayRecipientMaps(List<LookupTable> v) {
            relayRecipientMaps = v;
            return this;
        }

        public Builder localRecipientMaps(List<LookupTable> v) {
            localRecipientMaps = v;
            return this;
        }

        public Builder recipientDelimiter(RecipientDelimiter v) {
            recipientDelimiter = v;
            return this;
        }

        public Builder propagateVirtualExtensions(boolean v) {
            propagateVirtualExtensions = v;
            return this;
        }

        public Builder virtualAliasRecursionLimit(int v) {
            recursionLimit = v;
            return this;
        }

        public Builder virtualAliasExpansionLimit(int v) {
            expansionLimit = v;
            return this;
        }

        public Builder virtualAliasAddressLengthLimit(int v) {
            addressLengthLimit = v;
            return this;
        }

        public AddressingConfig build() {
            return new AddressingConfig(myorigin, mydestination, virtualAliasDomains, virtualAliasMaps,
                    virtualMailboxDomains, virtualMailboxMaps, relayDomains, relayDomainsMatchSubdomains,
                    relayRecipientMaps, localRecipientMaps, recipientDelimiter, propagateVirtualExtensions,
                    recursionLimit, expansionLimit, addressLengthLimit);
        }
    }
}
