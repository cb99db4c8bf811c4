package io.postbus.router.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A throttling group of destinations: every delivery job of a site has the site's name as its
 * record key, so one partition owner holds all of a site's jobs (and, later, its connection and
 * rate limits). Configured sites have a delivery topic of their own; every other site shares
 * {@code mail.deliver.default}.
 *
 * <p>Names are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit: valid
 * as Kafka record keys, as a topic name part and as a {@code postbus postsuper --suspend-site}
 * argument without shell quoting. See {@link SiteNames} for how derived names are made.
 *
 * @param basis why the destination belongs to this site
 */
public record Site(String name, Basis basis) {
    /** The shared delivery topic's site part: {@code mail.deliver.default}. */
    public static final String SHARED_TOPIC_SITE = "default";
    /** Longest site name: leaves room under Kafka's 249-character topic names for any prefix. */
    public static final int MAX_NAME_LENGTH = 200;
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** How a site was chosen; the fallbacks name the site after the recipient domain. */
    public enum Basis {
        /** delivery.sites lists the recipient domain. */
        CONFIGURED_DOMAIN("delivery.sites domain"),
        /** a best-preference MX host matches a delivery.sites {@code mx=} pattern. */
        CONFIGURED_MX("delivery.sites mx pattern"),
        /** named after the best-preference MX hosts (RFC 5321 §5.1). */
        MX_HOSTS("MX hosts"),
        /** no MX records: the domain is its own mail host (RFC 5321 §5.1 implicit MX). */
        IMPLICIT_MX("no MX, the domain itself"),
        /** the domain accepts no mail (RFC 7505 null MX): delivery bounces it. */
        NULL_MX("null MX"),
        /** the domain does not exist (NXDOMAIN): delivery bounces it. */
        NO_SUCH_DOMAIN("no such domain"),
        /** the MX lookup failed (timeout, SERVFAIL): routing goes on, delivery looks again. */
        DNS_FAILURE("MX lookup failed"),
        /** the router has no DNS resolver (tools and tests): named after the domain. */
        NOT_LOOKED_UP("the domain, MX not looked up"),
        /** an address literal ({@code user@[192.0.2.1]}, RFC 5321 §4.1.3): the host itself. */
        ADDRESS_LITERAL("address literal"),
        /** an explicit next hop (relayhost, transport_maps, a class transport, LMTP). */
        NEXT_HOP("next hop"),
        /** Maildir delivery on this host. */
        LOCAL_MAILBOX("local mailbox");

        private final String description;

        Basis(String description) {
            this.description = description;
        }

        /** A few words for a Routed event's detail. */
        public String description() {
            return description;
        }
    }

    public Site {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(basis, "basis");
        if (!NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("not a site name (a-z, 0-9, '.', '_', '-', at most "
                    + MAX_NAME_LENGTH + "): " + name);
        }
    }

    /** Whether the site has a delivery topic of its own (it is in delivery.sites). */
    public boolean dedicated() {
        return basis == Basis.CONFIGURED_DOMAIN || basis == Basis.CONFIGURED_MX;
    }

    /** The site part of the delivery topic: the site's own, or {@link #SHARED_TOPIC_SITE}. */
    public String topicSite() {
        return dedicated() ? name : SHARED_TOPIC_SITE;
    }
}
