package io.postbus.core.dns.zone;

import io.postbus.core.dns.DnsNames;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.TlsaRecord;
import io.postbus.core.dns.dnsjava.DnsJavaNames;
import io.postbus.core.dns.dnsjava.QueryType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;

/**
 * A {@link DnsResolver} that answers from RFC 1035 master files, exactly as the zones'
 * authoritative servers would, followed by a recursive resolver chasing CNAMEs across them. For
 * tests and the offline embedded default; no network, no cache, no clock.
 *
 * <p>Names outside every loaded zone (or delegated to a zone that is not loaded) get NXDOMAIN by
 * default; see {@link #withOutOfZone}. {@link #withFailure} makes chosen names fail, so the
 * temperror paths of SPF, DKIM and DMARC can be tested on real zone data. A failure is returned
 * at once, even TIMEOUT: tests should not wait.
 *
 * <p>Zone files carry no validation, so every answer is unauthenticated unless the resolver was
 * told which zones count as signed ({@link #withSignedZones}): answers from those (through aliases
 * only into signed zones) are {@link DnsResult.Answer#authenticated() authenticated}, as if a
 * validating resolver had set the AD bit. That is how DANE is tested on zone data.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return a new resolver sharing the zones.
 */
public final class ZoneFileResolver implements DnsResolver {

    /** What a name outside the loaded zones gets. */
    public enum OutOfZone {
        /** As if the loaded zones were the whole DNS. */
        NXDOMAIN,
        /** What an authoritative-only server says about names it does not serve. */
        REFUSED,
        SERVFAIL,
        /** As if the rest of the internet were unreachable. */
        TIMEOUT
    }

    /** Alias chains longer than this are reported as SERVFAIL, as a recursive resolver would. */
    private static final int MAX_CNAME_HOPS = 16;

    private final List<AuthoritativeZone> zones; // deepest apex first
    private final Map<Name, Kind> failures;
    private final OutOfZone outOfZone;
    private final Set<Name> signed;

    private ZoneFileResolver(List<AuthoritativeZone> zones, Map<Name, Kind> failures, OutOfZone outOfZone,
                             Set<Name> signed) {
        this.zones = zones;
        this.failures = failures;
        this.outOfZone = outOfZone;
        this.signed = signed;
    }

    /** Loads master files; each file's origin is its {@code $ORIGIN}, else its name minus ".zone". */
    public static ZoneFileResolver fromFiles(Path... files) {
        if (files.length == 0) {
            throw new IllegalArgumentException("no zone files given");
        }
        return of(Arrays.stream(files).map(ZoneLoader::parseFile).toList());
    }

    /** Loads every {@code *.zone} file directly in {@code directory}, in name order. */
    public static ZoneFileResolver fromDirectory(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            Path[] files = listing
                    .filter(p -> p.getFileName().toString().endsWith(".zone") && Files.isRegularFile(p))
                    .sorted().toArray(Path[]::new);
            if (files.length == 0) {
                throw new IllegalArgumentException("no *.zone files in " + directory);
            }
            return fromFiles(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** One zone from master-file text; relative names are relative to {@code origin}. */
    public static ZoneFileResolver fromString(String origin, String zoneText) {
        return of(List.of(ZoneLoader.parseText(origin, zoneText)));
    }

    private static ZoneFileResolver of(List<ZoneLoader.Parsed> sources) {
        return new ZoneFileResolver(ZoneLoader.zones(sources), Map.of(), OutOfZone.NXDOMAIN, Set.of());
    }

    /** This resolver plus one more zone from master-file text (merged if the apex is already loaded). */
    public ZoneFileResolver withZone(String origin, String zoneText) {
        List<ZoneLoader.Parsed> sources = new ArrayList<>();
        // Re-reading our zones as sources keeps the merge rule in one place: ZoneLoader.zones.
        for (AuthoritativeZone z : zones) {
            sources.add(new ZoneLoader.Parsed(z.apex().toString(), z.records(), List.of(z.apex())));
        }
        sources.add(ZoneLoader.parseText(origin, zoneText));
        return new ZoneFileResolver(ZoneLoader.zones(sources), failures, outOfZone, signed);
    }

    /**
     * This resolver, except that every query for {@code name} (exactly that name, any type, also
     * when reached through a CNAME) fails with {@code kind}.
     */
    public ZoneFileResolver withFailure(String name, Kind kind) {
        Objects.requireNonNull(kind, "kind");
        Name n = DnsJavaNames.toName(name)
                .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + name));
        Map<Name, Kind> more = new HashMap<>(failures);
        more.put(n, kind);
        return new ZoneFileResolver(zones, Map.copyOf(more), outOfZone, signed);
    }

    public ZoneFileResolver withOutOfZone(OutOfZone policy) {
        return new ZoneFileResolver(zones, failures, Objects.requireNonNull(policy, "policy"), signed);
    }

    /**
     * This resolver, with the zones at these apexes counting as DNSSEC-signed and validated
     * (in addition to any already declared). Each apex must be a loaded zone: a typo would
     * otherwise quietly test the insecure path.
     */
    public ZoneFileResolver withSignedZones(String... apexes) {
        Set<Name> more = new HashSet<>(signed);
        for (String apex : apexes) {
            Name n = DnsJavaNames.toName(apex)
                    .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + apex));
            if (zones.stream().noneMatch(z -> z.apex().equals(n))) {
                throw new IllegalArgumentException("no loaded zone has the apex " + apex);
            }
            more.add(n);
        }
        return new ZoneFileResolver(zones, failures, outOfZone, Set.copyOf(more));
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        return lookup(name, QueryType.TXT);
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return lookup(name, QueryType.MX);
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        return lookup(name, QueryType.A);
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return lookup(name, QueryType.AAAA);
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return lookup(ReverseMap.fromAddress(address), QueryType.PTR);
    }

    @Override
    public DnsResult<List<TlsaRecord>> tlsa(String name) {
        return lookup(name, QueryType.TLSA);
    }

    private <T> DnsResult<T> lookup(String name, QueryType<T> type) {
        Optional<Name> parsed = DnsJavaNames.toName(name);
        return parsed.isPresent()
                ? lookup(parsed.get(), type)
                : new DnsResult.NxDomain<>(DnsNames.normalize(name)); // same rule as DnsJavaResolver
    }

    private <T> DnsResult<T> lookup(Name name, QueryType<T> type) {
        String text = DnsJavaNames.toText(name);
        Resolution r = resolve(name, type.rrType());
        if (r instanceof Resolution.Answered a) {
            return new DnsResult.Answer<>(type.decoder().apply(a.records()), a.authenticated());
        }
        if (r instanceof Resolution.NxDomain) {
            return new DnsResult.NxDomain<>(text);
        }
        if (r instanceof Resolution.NoData) {
            return new DnsResult.NoData<>(text);
        }
        Resolution.Failed f = (Resolution.Failed) r;
        return new DnsResult.Failure<>(text, f.kind(), f.detail());
    }

    /** Answers one question with records, following CNAMEs from zone to zone. */
    Resolution resolve(Name name, int type) {
        List<Record> chain = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        Name current = name;
        boolean secure = true;
        while (seen.add(current)) {
            Kind injected = failures.get(current);
            if (injected != null) {
                return new Resolution.Failed(chain, injected, "injected " + injected + " for " + current);
            }
            AuthoritativeZone zone = zoneFor(current);
            AuthoritativeZone.Answer answer = zone == null ? null : zone.lookup(current, type);
            secure = secure && zone != null && signed.contains(zone.apex());
            if (answer instanceof AuthoritativeZone.Answer.Found found) {
                return new Resolution.Answered(List.copyOf(chain), found.records(), secure);
            }
            if (answer instanceof AuthoritativeZone.Answer.NxDomain) {
                return new Resolution.NxDomain(List.copyOf(chain), soa(zone), secure);
            }
            if (answer instanceof AuthoritativeZone.Answer.NoData) {
                return new Resolution.NoData(List.copyOf(chain), soa(zone), secure);
            }
            if (!(answer instanceof AuthoritativeZone.Answer.Alias alias)) {
                return outsideZones(chain, current); // no zone, or delegated to one not loaded
            }
            chain.add(alias.cname());
            if (chain.size() > MAX_CNAME_HOPS) {
                break;
            }
            current = alias.cname().getTarget();
        }
        return new Resolution.Failed(List.copyOf(chain), Kind.SERVFAIL, "CNAME loop or overlong chain at " + current);
    }

    private Resolution outsideZones(List<Record> chain, Name name) {
        List<Record> copy = List.copyOf(chain);
        return switch (outOfZone) {
            case NXDOMAIN -> new Resolution.NxDomain(copy, null, false);
            case REFUSED -> new Resolution.Failed(copy, Kind.REFUSED, name + " is outside the loaded zones");
            case SERVFAIL -> new Resolution.Failed(copy, Kind.SERVFAIL, name + " is outside the loaded zones");
            case TIMEOUT -> new Resolution.Failed(copy, Kind.TIMEOUT, name + " is outside the loaded zones");
        };
    }

    /** The zone with the deepest apex containing the name, or null. */
    private AuthoritativeZone zoneFor(Name name) {
        for (AuthoritativeZone z : zones) {
            if (name.subdomain(z.apex())) {
                return z;
            }
        }
        return null;
    }

    private static SOARecord soa(AuthoritativeZone zone) {
        return zone.soa().orElse(null);
    }
}
