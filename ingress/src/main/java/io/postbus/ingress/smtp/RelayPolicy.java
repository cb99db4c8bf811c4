package io.postbus.ingress.smtp;

import io.postbus.core.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may send to where, as Postfix's {@code smtpd_relay_restrictions = permit_mynetworks,
 * permit_sasl_authenticated, reject_unauth_destination}: mail for our own domains is taken from
 * anyone; mail for anywhere else only from {@code mynetworks} or an authenticated client.
 * A domain entry starting with "." also matches its subdomains.
 */
public record RelayPolicy(List<Cidr> mynetworks, Set<String> ourDomains) {
    public RelayPolicy {
        mynetworks = List.copyOf(mynetworks);
        ourDomains = ourDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
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
