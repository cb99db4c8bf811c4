package io.postbus.router.core;

import io.postbus.core.address.MailAddress;
import io.postbus.core.dns.DnsResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Postfix's trivial-rewrite and queue manager for one message, as a pure function of the tables:
 * the sender and every recipient rewritten, expanded and resolved ({@link RecipientResolver}), and
 * the routed recipients grouped by destination, one delivery job per (message, destination), so
 * that a slow or failing destination holds up only its own recipients. Each destination gets its
 * site ({@link SiteResolver}), the throttling group its job is keyed by.
 */
public final class Router {
    private final RouterConfig config;
    private final AddressRewriter rewriter;
    private final RecipientResolver resolver;
    private final SiteResolver sites;

    /** A router that never asks DNS: MX destinations not in a configured site get a site of their own name. */
    public Router(RouterConfig config) {
        this(config, SiteResolver.withoutDns(config.routing().sites()));
    }

    /** A router whose MX destinations are grouped into sites by their MX hosts, looked up with {@code dns}. */
    public Router(RouterConfig config, DnsResolver dns, Clock clock) {
        this(config, new SiteResolver(config.routing().sites(), dns, clock));
    }

    public Router(RouterConfig config, SiteResolver sites) {
        this.config = config;
        this.rewriter = new AddressRewriter(config);
        this.resolver = new RecipientResolver(config, rewriter);
        this.sites = sites;
    }

    public RouterConfig config() {
        return config;
    }

    /** Routes a message as received: every recipient from the start. */
    public RoutingPlan route(String sender, List<String> recipients) {
        return route(sender, recipients, Set.of());
    }

    /**
     * @param sender the reverse-path; empty for the null sender, which is never rewritten
     * @param rewritten recipients deferred after their rewriting (RecipientOutcome.Deferred#rewritten)
     */
    public RoutingPlan route(String sender, List<String> recipients, Set<String> rewritten) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(recipients));
        String newSender = sender;
        if (!sender.isEmpty() && parses(sender)) {
            AddressRewriter.Result r = rewriter.sender(MailAddress.parse(sender));
            if (r.failed()) {
                // cleanup would not accept the message: nothing goes out until the table is fixed.
                List<RecipientOutcome.Deferred> all = unique.stream().map(rcpt -> new RecipientOutcome.Deferred(rcpt, rcpt, false,
                        RecipientOutcome.temporary(AddressRewriter.EXPANSION_ERROR, "Sender address rewriting error: " + r.problem())))
                        .toList();
                return new RoutingPlan(sender, List.of(), List.of(), all, List.of());
            }
            newSender = r.addresses().get(0).toString();
        }
        Grouping g = new Grouping();
        for (String rcpt : unique) {
            resolver.resolve(rcpt, rewritten.contains(rcpt)).forEach(g::add);
        }
        return new RoutingPlan(newSender, g.destinations(), g.bounced, g.deferred, g.discarded);
    }

    /** A reverse-path we cannot parse (the ingress lets none through) is passed on as it is. */
    private static boolean parses(String sender) {
        try {
            MailAddress.parse(sender);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Collects outcomes; of each kind, the first occurrence of a final address wins. An address may
     * be both delivered and bounced: {@code joe: joe, |cmd} fills joe's mailbox and bounces the command.
     */
    private final class Grouping {
        private final Set<String> seen = new HashSet<>();
        private final Map<String, List<Destination.RoutedRecipient>> byDestination = new LinkedHashMap<>();
        private final Map<String, DeliveryRoute> routeOf = new LinkedHashMap<>();
        private final List<RecipientOutcome.Bounced> bounced = new ArrayList<>();
        private final List<RecipientOutcome.Deferred> deferred = new ArrayList<>();
        private final List<RecipientOutcome.Discarded> discarded = new ArrayList<>();

        void add(RecipientOutcome o) {
            if (!seen.add(o.getClass().getSimpleName() + ":" + o.address().toLowerCase(Locale.ROOT))) {
                return;
            }
            if (o instanceof RecipientOutcome.Routed r) {
                String name = r.route().destination();
                routeOf.putIfAbsent(name, r.route());
                byDestination.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(new Destination.RoutedRecipient(r.address(), r.original()));
            } else if (o instanceof RecipientOutcome.Bounced b) {
                bounced.add(b);
            } else if (o instanceof RecipientOutcome.Deferred d) {
                deferred.add(d);
            } else if (o instanceof RecipientOutcome.Discarded d) {
                discarded.add(d);
            }
        }

        List<Destination> destinations() {
            List<Destination> out = new ArrayList<>();
            byDestination.forEach((name, rcpts) -> {
                DeliveryRoute route = routeOf.get(name);
                out.add(new Destination(name, sites.siteOf(route), route.transport(), route.nextHop(), rcpts));
            });
            return out;
        }
    }
}
