package io.postbus.router.core;

import java.util.Map;
import java.util.Objects;

/**
 * Where off-host mail goes: Postfix's default address class (MX delivery), or every message to one
 * {@code relayhost}; and the configured sites ({@code delivery.sites}) with topics of their own.
 *
 * @param relayhost Postfix relayhost syntax ({@code [host]:port} or {@code host}); null = MX delivery
 * @param sites     the configured sites, by recipient domain and by MX host pattern
 */
public record RoutingTable(String relayhost, SiteTable sites) {
    /** The shared delivery topic's site part, {@code mail.deliver.default}. */
    public static final String DEFAULT_SITE = Site.SHARED_TOPIC_SITE;

    public RoutingTable {
        Objects.requireNonNull(sites, "sites");
        if (relayhost != null && relayhost.isBlank()) {
            relayhost = null;
        }
    }

    /** Sites by recipient domain only (recipient domain → site), the form before MX patterns. */
    public RoutingTable(String relayhost, Map<String, String> siteOfDomain) {
        this(relayhost, SiteTable.ofDomains(siteOfDomain));
    }
}
