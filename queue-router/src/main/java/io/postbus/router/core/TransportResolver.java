package io.postbus.router.core;

import io.postbus.core.address.AddressClass;
import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.MailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * trivial-rewrite's resolve step (resolve.c): the address class picks the class transport and the
 * first next hop, then transport_maps may override either (transport.c update_entry).
 * <ul>
 *   <li>virtual alias class: {@code error:5.1.1 User unknown in virtual alias table}, which
 *       transport_maps do not override ("Don't override the virtual alias class result");</li>
 *   <li>local and virtual mailbox classes: their transport, next hop the recipient domain;</li>
 *   <li>relay and default classes: their transport, next hop relayhost if set, else the domain;</li>
 *   <li>a {@code *_transport} value with a next hop wins over relayhost and the domain;</li>
 *   <li>a transport_maps entry: {@code :} changes nothing, {@code :nexthop} only the next hop,
 *       {@code transport:} the transport and resets the next hop to the recipient domain
 *       (error: gets "Address is undeliverable"), {@code transport:nexthop} both.</li>
 * </ul>
 * An entry Postbus cannot use resolves to {@code retry:4.3.5 ...}: like qmgr with a transport that
 * does not exist, the mail waits until the table is fixed instead of being sent somewhere else.
 */
final class TransportResolver {
    private final AddressClassifier classifier;
    private final ClassTransports transports;
    private final TransportTable table;
    private final String relayhost;

    TransportResolver(RouterConfig config) {
        this.classifier = config.classifier();
        this.transports = config.transports();
        this.table = new TransportTable(config.transportMaps(), classifier.config().recipientDelimiter());
        this.relayhost = config.routing().relayhost();
    }

    /** The resolved transport and next hop (for error/retry/discard: the reason text). */
    record Target(AddressClass addressClass, TransportName transport, String nexthop) {
        Target {
            Objects.requireNonNull(addressClass, "addressClass");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(nexthop, "nexthop");
        }
    }

    Target resolve(MailAddress address) {
        AddressClass cls = classifier.classify(address);
        if (cls == AddressClass.VIRTUAL_ALIAS) {
            return new Target(cls, TransportName.ERROR, "5.1.1 User unknown in virtual alias table");
        }
        TransportEntry classEntry = transports.of(cls);
        String channel = classEntry.transport();
        String nexthop = (cls == AddressClass.RELAY || cls == AddressClass.DEFAULT) && relayhost != null
                ? relayhost : address.domain();
        if (!classEntry.nexthop().isEmpty()) {
            nexthop = classEntry.nexthop();
        }
        Optional<TransportTable.Match> match = table.find(address);
        if (match.isPresent()) {
            TransportTable.Match m = match.get();
            TransportEntry entry = m.entry();
            Optional<String> problem = entry.problem();
            if (problem.isPresent()) {
                return new Target(cls, TransportName.RETRY,
                        "4.3.5 " + m.table() + ": entry '" + m.key() + "': " + problem.get());
            }
            if (entry.transport().isEmpty()) {
                if (!entry.nexthop().isEmpty()) {
                    nexthop = entry.nexthop();
                }
            } else {
                channel = entry.transport();
                if (!entry.nexthop().isEmpty()) {
                    nexthop = entry.nexthop();
                } else {
                    nexthop = channel.equals(TransportName.ERROR.service()) ? "Address is undeliverable" : address.domain();
                }
            }
        }
        String service = channel;
        TransportName transport = TransportName.of(service).orElseThrow(
                () -> new IllegalStateException("transport '" + service + "' passed validation but is unknown"));
        return new Target(cls, transport, nexthop);
    }
}
