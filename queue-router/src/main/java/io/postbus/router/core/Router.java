package io.postbus.router.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a message's recipients into destinations: one delivery job per (message, destination),
 * so that a slow or failing destination holds up only its own recipients.
 */
public final class Router {
    private final RoutingTable table;

    public Router(RoutingTable table) {
        this.table = table;
    }

    public List<Destination> route(List<String> recipients) {
        Map<String, List<String>> byDestination = new LinkedHashMap<>();
        Map<String, String> siteOf = new LinkedHashMap<>();
        for (String rcpt : recipients) {
            String domain = domainOf(rcpt);
            String name = table.relayhost() != null ? table.relayhost() : domain;
            byDestination.computeIfAbsent(name, k -> new ArrayList<>()).add(rcpt);
            siteOf.putIfAbsent(name, table.relayhost() != null ? RoutingTable.DEFAULT_SITE : table.siteOf(domain));
        }
        List<Destination> out = new ArrayList<>();
        byDestination.forEach((name, rcpts) ->
                out.add(new Destination(name, siteOf.get(name), Transport.SMTP, table.relayhost(), rcpts)));
        return out;
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("recipient without a domain: " + address);
        }
        return address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
