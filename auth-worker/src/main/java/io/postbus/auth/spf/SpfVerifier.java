package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResolver;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * SPF verification as a receiver does it (RFC 7208). Pure: all DNS goes through the injected
 * {@link DnsResolver}, all time through the {@link Clock}. Thread-safe; each check has its own
 * lookup counters. Calls block while DNS answers, so they belong off any event loop.
 */
public final class SpfVerifier {

    private final DnsResolver dns;
    private final Clock clock;
    private final SpfSettings settings;
    private final MacroString defaultExplanation;

    public SpfVerifier(DnsResolver dns, Clock clock, SpfSettings settings) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.defaultExplanation = settings.parsedDefaultExplanation();
    }

    /**
     * The checks for one SMTP transaction: MAIL FROM (§2.4), or postmaster@HELO for the null
     * reverse-path (identity HELO), and the HELO identity on its own (§2.3) if the settings ask for it.
     */
    public SpfReport verify(SpfRequest request) {
        String helo = request.helo();
        if (request.nullReversePath()) {
            SpfVerdict heloCheck = checkHelo(request.clientIp(), helo);
            return new SpfReport(heloCheck, Optional.of(heloCheck));
        }
        Optional<SpfVerdict> heloCheck = settings.checkHelo()
                ? Optional.of(checkHelo(request.clientIp(), helo)) : Optional.empty();
        Sender sender = Sender.of(request.mailFrom());
        SpfVerdict mailFrom = checkHost(request.clientIp(), sender.domain(), sender.address(), helo, SpfIdentity.MAILFROM);
        return new SpfReport(mailFrom, heloCheck);
    }

    private SpfVerdict checkHelo(InetAddress client, String helo) {
        return checkHost(client, helo, "postmaster@" + helo, helo, SpfIdentity.HELO);
    }

    /**
     * check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) of RFC 7208 §4.
     *
     * @param ip       the client; IPv4-mapped IPv6 is evaluated as IPv4 (§5)
     * @param domain   where authorization is looked up: the MAIL FROM domain or the HELO name
     * @param sender   the identity being checked, local@domain; an empty local-part stands for
     *                 "postmaster" (§4.3)
     * @param helo     the HELO/EHLO argument, for the "h" macro (§7.3)
     * @param identity which identity this is, carried into the verdict
     */
    public SpfVerdict checkHost(InetAddress ip, String domain, String sender, String helo, SpfIdentity identity) {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(identity, "identity");
        Optional<String> checked = SpfDomains.forCheckHost(domain);
        if (checked.isEmpty()) {
            // §4.3: a malformed or single-label <domain> gives "none" without any DNS query.
            return new SpfVerdict(SpfResult.NONE, identity, printable(domain.toLowerCase(Locale.ROOT)), Optional.empty(),
                    Optional.empty(), Optional.of(printable("\"" + domain + "\" is not a multi-label domain name (RFC 7208 section 4.3)")));
        }
        InetAddress client = IpAddresses.unmapped(ip);
        Lookups lookups = new Lookups(dns, clock, settings);
        PtrNames ptrNames = new PtrNames(lookups, client, settings.maxMxOrPtrNames());
        MacroExpander macros = new MacroExpander(Sender.of(sender), client, helo, settings.receiverHost(),
                clock.instant().getEpochSecond(), ptrNames::macroValue);
        Evaluation evaluation = new Evaluation(lookups, macros,
                new AddressMechanisms(lookups, ptrNames, client, settings.maxMxOrPtrNames()));
        Outcome outcome = evaluation.checkHost(checked.get());
        Optional<String> explanation = outcome.result() == SpfResult.FAIL
                ? Optional.of(new Explanations(lookups, macros, defaultExplanation).explain(outcome.explanation(), outcome.domain()))
                : Optional.empty();
        return new SpfVerdict(outcome.result(), identity, checked.get(), outcome.mechanism(), explanation,
                outcome.reason().map(SpfVerifier::printable));
    }

    /**
     * Reasons quote DNS data and client input, which may hold control characters: escaped, so that a
     * reason can go into a log line or a header comment without breaking it.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return out.toString();
    }
}
