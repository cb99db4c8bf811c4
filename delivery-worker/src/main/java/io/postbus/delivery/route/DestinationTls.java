package io.postbus.delivery.route;

import io.postbus.delivery.dane.DaneLookup;
import io.postbus.delivery.dane.HostDane;
import io.postbus.delivery.mtasts.MtaSts;
import io.postbus.delivery.mtasts.StsDecision;
import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.ArrayList;
import java.util.List;
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
 * The DANE levels ({@link TlsPolicy#DANE}, {@link TlsPolicy#DANE_ONLY}) are then resolved for each MX
 * host by {@link #forHost}: DANE where DNSSEC-validated usable TLSA records exist, and there it takes
 * precedence over MTA-STS (RFC 8461 §2); elsewhere the level MTA-STS asks for, else MAY.
 */
public final class DestinationTls {

    private final TlsPolicy defaultLevel;
    private final TlsPolicyMap map;
    private final MtaSts mtaSts;
    private final DaneLookup dane;

    /** @param mtaSts null when MTA-STS is off; without DNS for DANE, the DANE levels find nothing validated */
    public DestinationTls(TlsPolicy defaultLevel, TlsPolicyMap map, MtaSts mtaSts) {
        this(defaultLevel, map, mtaSts, null);
    }

    /** @param mtaSts null when MTA-STS is off; @param dane null when there is no DNS for DANE */
    public DestinationTls(TlsPolicy defaultLevel, TlsPolicyMap map, MtaSts mtaSts, DaneLookup dane) {
        this.defaultLevel = Objects.requireNonNull(defaultLevel, "defaultLevel");
        this.map = Objects.requireNonNull(map, "map");
        this.mtaSts = mtaSts;
        this.dane = dane;
    }

    public static DestinationTls fixed(TlsPolicy level) {
        return new DestinationTls(level, TlsPolicyMap.none(), null);
    }

    /** One level for every destination, with DANE lookups through {@code dane}: for tests. */
    public static DestinationTls fixed(TlsPolicy level, DaneLookup dane) {
        return new DestinationTls(level, TlsPolicyMap.none(), null, dane);
    }

    /**
     * The TLS for one MX host of the hop (Postfix's dane and dane-only, RFC 7672 §2.2):
     * <ul>
     *   <li>secure usable TLSA records: mandatory TLS, authenticated by them (no plain text, a
     *       mismatch fails the host, 4.7.5);</li>
     *   <li>secure TLSA records, none usable: ENCRYPT at {@code dane}; skipped at {@code dane-only};</li>
     *   <li>TLSA lookup failure for a secure host: skipped (the failure may be an attacker's);</li>
     *   <li>anything insecure, or no TLSA: the level without DANE — VERIFY under an MTA-STS enforce
     *       policy, else MAY — at {@code dane}; skipped at {@code dane-only}.</li>
     * </ul>
     * Other levels apply to every host unchanged.
     */
    public HostTls forHost(TlsPlan.Use use, NextHop hop, MxHost host) {
        if (!use.level().isDane()) {
            return HostTls.Connect.at(use.level());
        }
        boolean only = use.level() == TlsPolicy.DANE_ONLY;
        boolean mxSecure = !hop.mxLookup() || dane != null && dane.mxSecure(hop.host());
        List<String> references = new ArrayList<>(List.of(host.name()));
        if (hop.mxLookup() && mxSecure) {
            references.add(hop.host()); // RFC 7672 §3.2.2: the next-hop domain, when the MX RRset is secure
        }
        HostDane found = hop.address().isPresent() ? new HostDane.NotApplicable("an address literal has no TLSA")
                : dane == null ? new HostDane.NotApplicable("no DNSSEC-aware resolver")
                : dane.host(host.name(), host.port(), mxSecure, references);
        if (found instanceof HostDane.Authenticate a) {
            return new HostTls.Connect(TlsPolicy.VERIFY, Optional.of(a.trust()), "DANE TLSA " + a.trust().tlsaName()
                    + " (" + a.trust().records().size() + " usable)");
        }
        if (found instanceof HostDane.LookupFailed f) {
            return new HostTls.Skip("DANE: " + f.detail() + "; not connecting to " + host.name());
        }
        if (found instanceof HostDane.Unusable u) {
            return only ? new HostTls.Skip("DANE: no usable TLSA record at " + u.tlsaName() + " (dane-only)")
                    : new HostTls.Connect(TlsPolicy.ENCRYPT, Optional.empty(),
                            "DANE: TLSA records at " + u.tlsaName() + " unusable, encrypt");
        }
        String reason = ((HostDane.NotApplicable) found).reason();
        if (only) {
            return new HostTls.Skip("DANE required (dane-only) for " + host.name() + ": " + reason);
        }
        TlsPolicy fallback = use.stsPolicy(StsPolicy.Mode.ENFORCE).isPresent() ? TlsPolicy.VERIFY : TlsPolicy.MAY;
        return new HostTls.Connect(fallback, Optional.empty(), "DANE: " + reason + ", " + fallback.postfixName());
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
            // A DANE level stays: DANE decides per host, MTA-STS only for hosts without it (forHost).
            return new TlsPlan.Use(defaultLevel.atLeast(TlsPolicy.VERIFY), "MTA-STS enforce, " + a.note(),
                    Optional.of(sts));
        }
        String origin = sts instanceof StsDecision.Applies a
                ? "default; MTA-STS " + a.policy().mode().name().toLowerCase(java.util.Locale.ROOT) + ", " + a.note()
                : "default; MTA-STS: " + sts.note();
        return new TlsPlan.Use(defaultLevel, origin, Optional.of(sts));
    }
}
