package io.postbus.delivery.route;

import io.postbus.delivery.mtasts.MtaSts;
import io.postbus.delivery.mtasts.StsDecision;
import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the TLS level of a next hop, in this order:
 * <ol>
 *   <li>an entry in the TLS policy map: the postmaster's explicit word for that destination wins
 *       (also over MTA-STS, so that a broken receiver can be worked around knowingly);</li>
 *   <li>MTA-STS (RFC 8461), when enabled and the hop is a domain whose MX records are used:
 *       enforce raises the level to {@link TlsPolicy#VERIFY} (§4.2; the caller also keeps only the
 *       MX hosts the policy lists), testing and none leave the default;</li>
 *   <li>the default level (delivery.tls).</li>
 * </ol>
 */
public final class DestinationTls {

    private final TlsPolicy defaultLevel;
    private final TlsPolicyMap map;
    private final MtaSts mtaSts;

    /** @param mtaSts null when MTA-STS is off */
    public DestinationTls(TlsPolicy defaultLevel, TlsPolicyMap map, MtaSts mtaSts) {
        this.defaultLevel = Objects.requireNonNull(defaultLevel, "defaultLevel");
        this.map = Objects.requireNonNull(map, "map");
        this.mtaSts = mtaSts;
    }

    public static DestinationTls fixed(TlsPolicy level) {
        return new DestinationTls(level, TlsPolicyMap.none(), null);
    }

    public TlsPlan plan(NextHop hop) {
        Optional<TlsPolicyMap.Match> entry = map.lookup(hop);
        if (entry.isPresent()) {
            TlsPolicyMap.Match m = entry.get();
            if (m instanceof TlsPolicyMap.Match.Level l) {
                return new TlsPlan.Use(l.level(), "policy map " + m.table() + " key " + m.key(), Optional.empty());
            }
            return new TlsPlan.Misconfigured("TLS policy map " + m.table() + " key " + m.key()
                    + " has an unsupported security level: " + ((TlsPolicyMap.Match.Invalid) m).value());
        }
        if (mtaSts == null || !hop.mxLookup()) {
            return new TlsPlan.Use(defaultLevel, "default", Optional.empty());
        }
        StsDecision sts = mtaSts.lookup(hop.host());
        if (sts instanceof StsDecision.Applies a && a.policy().mode() == StsPolicy.Mode.ENFORCE) {
            return new TlsPlan.Use(defaultLevel.atLeast(TlsPolicy.VERIFY), "MTA-STS enforce, " + a.note(),
                    Optional.of(sts));
        }
        String origin = sts instanceof StsDecision.Applies a
                ? "default; MTA-STS " + a.policy().mode().name().toLowerCase(java.util.Locale.ROOT) + ", " + a.note()
                : "default; MTA-STS: " + sts.note();
        return new TlsPlan.Use(defaultLevel, origin, Optional.of(sts));
    }
}
