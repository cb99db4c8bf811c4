package io.postbus.core.dns.zone;

import io.postbus.core.dns.dnsjava.DnsJavaNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads RFC 1035 master files with dnsjava's {@link Master} and groups the records into zones.
 *
 * <p>A zone's apex is the owner of its SOA record. Zone text without an SOA (handy for short test
 * zones) has one zone whose apex is the origin given by the caller, else the file's first
 * {@code $ORIGIN}, else the file name without ".zone". Text from several sources with the same
 * apex is merged.
 */
final class ZoneLoader {
    /** Used when a record has no TTL and the text no {@code $TTL}, so short test zones parse. */
    static final long DEFAULT_TTL = 3600;

    private static final Pattern ORIGIN_DIRECTIVE =
            Pattern.compile("^\\$ORIGIN\\s+(\\S+)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    /** The records of one source and the apexes they belong to. */
    record Parsed(String source, List<Record> records, List<Name> apexes) {}

    private ZoneLoader() {}

    static Parsed parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zone file " + file, e);
        }
        String fileName = file.getFileName().toString();
        String origin = fileName.endsWith(".zone")
                ? fileName.substring(0, fileName.length() - ".zone".length()) : fileName;
        // Opened by path so $INCLUDE resolves relative to the file, as in a real server.
        return parse(file.toString(), text, null, origin, () -> new Master(file.toString(), name(origin), DEFAULT_TTL));
    }

    static Parsed parseText(String origin, String text) {
        return parse("zone text for " + origin, text, origin, origin, () -> {
            Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    name(origin), DEFAULT_TTL);
            m.disableIncludes(); // text from a test has no directory to include from
            return m;
        });
    }

    /** Builds the zones, merging sources that share an apex; deepest apex first. */
    static List<AuthoritativeZone> zones(List<Parsed> sources) {
        Map<Name, Set<Record>> byApex = new LinkedHashMap<>();
        for (Parsed p : sources) {
            for (Record r : p.records()) {
                Name apex = p.apexes().stream()
                        .filter(a -> r.getName().subdomain(a))
                        .max(Comparator.comparingInt(Name::labels))
                        .orElseThrow(() -> new IllegalArgumentException(p.source() + ": " + r.getName()
                                + " is outside zone(s) " + p.apexes() + "; add an SOA or $ORIGIN"));
                byApex.computeIfAbsent(apex, a -> new LinkedHashSet<>()).add(r);
            }
            p.apexes().forEach(a -> byApex.computeIfAbsent(a, x -> new LinkedHashSet<>()));
        }
        List<AuthoritativeZone> zones = new ArrayList<>();
        byApex.forEach((apex, records) -> zones.add(new AuthoritativeZone(apex, List.copyOf(records))));
        zones.sort(Comparator.comparingInt((AuthoritativeZone z) -> z.apex().labels()).reversed());
        return List.copyOf(zones);
    }

    private interface MasterOpener {
        Master open() throws IOException;
    }

    private static Parsed parse(String source, String text, String givenOrigin, String fallbackOrigin,
            MasterOpener opener) {
        List<Record> records = new ArrayList<>();
        try (Master master = opener.open()) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                records.add(r);
            }
        } catch (TextParseException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        List<Name> apexes = records.stream()
                .filter(r -> r.getType() == Type.SOA).map(Record::getName).distinct().toList();
        if (apexes.isEmpty()) {
            apexes = List.of(name(givenOrigin != null ? givenOrigin : firstOrigin(text, fallbackOrigin)));
        }
        return new Parsed(source, records, apexes);
    }

    /** Only looks for the directive, to name an SOA-less zone; the parsing itself is Master's. */
    private static String firstOrigin(String text, String fallback) {
        Matcher m = ORIGIN_DIRECTIVE.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    private static Name name(String origin) {
        return DnsJavaNames.toName(origin)
                .orElseThrow(() -> new IllegalArgumentException("not a valid zone origin: " + origin));
    }
}
