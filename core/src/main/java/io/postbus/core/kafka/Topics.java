package io.postbus.core.kafka;

import java.util.Locale;
import java.util.regex.Pattern;

/** Topic names, all under one configurable prefix (default {@code postbus.}). */
public record Topics(String prefix) {
    private static final Pattern NAME_PART = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /**
     * A site name as the router derives it (MX host names, a next hop, a domain: letters, digits,
     * '.', '_', '-'): the characters Kafka allows in a topic name, so {@link #deliver} of any site
     * is a well-formed name, even of a site that has no topic.
     */
    private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    public Topics {
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix may hold only letters, digits, '.', '_' and '-': " + prefix);
        }
    }

    public String received() {
        return prefix + "mail.received";
    }

    public String authenticated() {
        return prefix + "mail.authenticated";
    }

    public String scored() {
        return prefix + "mail.scored";
    }

    /**
     * Delivery topic of a site; {@code default} for every destination without its own. Only
     * configured sites (names without dots) have a topic; for a derived site such as
     * {@code aspmx.l.google.com} this is the name its topic would have, which no topic has (and
     * {@link #deliverPattern()} would not match), so "is this job on its site's own topic?" is a
     * plain comparison.
     */
    public String deliver(String site) {
        String s = site.toLowerCase(Locale.ROOT);
        if (!SITE.matcher(s).matches()) {
            throw new IllegalArgumentException("not a valid site name: " + site);
        }
        return prefix + "mail.deliver." + s;
    }

    /** Matches every delivery topic: delivery workers subscribe by pattern so new sites are picked up. */
    public Pattern deliverPattern() {
        return Pattern.compile(Pattern.quote(prefix + "mail.deliver.") + "[a-z0-9][a-z0-9-]*");
    }

    /** Deferred-retry tier, e.g. {@code 5m}. */
    public String retry(String tier) {
        return prefix + "mail.retry." + part(tier);
    }

    public Pattern retryPattern() {
        return Pattern.compile(Pattern.quote(prefix + "mail.retry.") + "[a-z0-9][a-z0-9-]*");
    }

    public String events() {
        return prefix + "mail.events";
    }

    public String quarantine() {
        return prefix + "mail.quarantine";
    }

    public String dead() {
        return prefix + "mail.dead";
    }

    public String control() {
        return prefix + "mail.control";
    }

    public String suppression() {
        return prefix + "mail.suppression";
    }

    private static String part(String s) {
        String p = s.toLowerCase(Locale.ROOT);
        if (!NAME_PART.matcher(p).matches()) {
            throw new IllegalArgumentException("not a valid topic name part: " + s);
        }
        return p;
    }
}
