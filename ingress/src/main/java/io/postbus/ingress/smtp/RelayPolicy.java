package io.postbus.ingress.smtp;

import io.postbus.core.address.RecipientDecision;
import io.postbus.core.address.RecipientValidator;
import io.postbus.core.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may send to where, as Postfix's {@code smtpd_relay_restrictions = permit_mynetworks,
 * permit_sasl_authenticated, reject_unauth_destination}: mail for our own domains is taken from
 * anyone; mail for anywhere else only from {@code mynetworks} or an authenticated client.
 * A domain entry starting with "." also matches its subdomains.
 */
public record RelayPolicy(List<Cidr> mynetworks, Set<String> ourDomains, Optional<RecipientValidator> recipients) {
    public RelayPolicy {
        mynetworks = List.copyOf(mynetworks);
        ourDomains = ourDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(recipients, "recipients");
    }

    /** Relay control by domain only: no recipient tables, any user at our domains is accepted. */
    public RelayPolicy(List<Cidr> mynetworks, Set<String> ourDomains) {
        this(mynetworks, ourDomains, Optional.empty());
    }

    /**
     * Why this recipient is refused at RCPT, if it is. With recipient tables this is the router's own
     * address-class logic (one implementation): unknown users at our domains get 550 5.1.1, strangers'
     * domains 554 5.7.1 unless the client may relay. Without tables, the domain rule alone.
     */
    public Optional<Reply> refusal(InetAddress client, boolean authenticated, String address) {
        boolean mayRelay = authenticated || isTrusted(client);
        if (recipients.isPresent()) {
            RecipientDecision d = recipients.get().validate(address, mayRelay);
            if (d.verdict() == RecipientDecision.Verdict.ACCEPT) {
                return Optional.empty();
            }
            return Optional.of(Reply.of(d.reply().code(), d.reply().enhancedStatus(), d.reply().text()));
        }
        if (permits(client, authenticated, MailAddress.domainOf(address))) {
            return Optional.empty();
        }
        return Optional.of(Reply.of(554, "5.7.1", "<" + address + ">: Relay access denied"));
    }

    public boolean isTrusted(InetAddress client) {
        return mynetworks.stream().anyMatch(c -> c.contains(client));
    }

    public boolean isOurDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (ourDomains.contains(d)) {
            return true;
        }
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
            if (ourDomains.contains(d.substring(dot))) {
                return true;
            }
        }
        return false;
    }

    /** May this client send to this recipient domain? */
    public boolean permits(InetAddress client, boolean authenticated, String recipientDomain) {
        return authenticated || isTrusted(client) || isOurDomain(recipientDomain);
    }
}
