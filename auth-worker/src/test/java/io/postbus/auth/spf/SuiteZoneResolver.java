package io.postbus.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link DnsResolver} serving one scenario's {@code zonedata}, with the reference runner's
 * reading of it (pyspf test/testspf.py; conformance README §1):
 * <ul>
 *   <li>SPF entries are also the name's TXT records, unless the name lists TXT entries;
 *       {@code TXT: NONE} means "no TXT record";</li>
 *   <li>a list value of TXT/SPF is one record of several character-strings, joined;</li>
 *   <li>a bare TIMEOUT fails every query for the name, unless a record of the asked type comes
 *       before it (records after it are not served);</li>
 *   <li>names not listed do not exist; CNAMEs are followed, a loop is SERVFAIL.</li>
 * </ul>
 * Immutable: a real data source for the tests, answering exactly as the data says.
 */
final class SuiteZoneResolver implements DnsResolver {

    /** One item of a name's list: a record of some type, or TIMEOUT. */
    private record Item(String type, Object value) {
        static final Item TIMEOUT = new Item("TIMEOUT", null);
    }

    private static final int MAX_CNAME_HOPS = 16;

    private final Map<String, List<Item>> names;

    private SuiteZoneResolver(Map<String, List<Item>> names) {
        this.names = names;
    }

    static SuiteZoneResolver fromZoneData(JsonNode zonedata) {
        Map<String, List<Item>> names = new HashMap<>();
        zonedata.properties().forEach(e -> names.put(normalize(e.getKey()), items(e.getValue())));
        return new SuiteZoneResolver(Map.copyOf(names));
    }

    /** Zone data written as in the suite, for tests of our own: {@code name: [ {TYPE: value}, ... ]}. */
    static SuiteZoneResolver fromYaml(String zonedata) {
        try {
            return fromZoneData(new YAMLMapper().readTree(zonedata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Item> items(JsonNode list) {
        List<Item> items = new ArrayList<>();
        List<Item> fromSpf = new ArrayList<>();
        boolean txtListed = false;
        for (JsonNode entry : list) {
            if (entry.isTextual() && entry.asText().equals("TIMEOUT")) {
                items.add(Item.TIMEOUT);
                continue;
            }
            var field = entry.properties().iterator().next();
            String type = field.getKey();
            JsonNode v = field.getValue();
            switch (type) {
                case "TXT", "SPF" -> {
                    List<String> strings = new ArrayList<>();
                    if (v.isArray()) {
                        v.forEach(s -> strings.add(s.asText()));
                    } else {
                        strings.add(v.asText());
                    }
                    boolean none = strings.equals(List.of("NONE"));
                    if (type.equals("TXT")) {
                        txtListed = true;
                        if (!none) {
                            items.add(new Item("TXT", String.join("", strings)));
                        }
                    } else if (!none) {
                        fromSpf.add(new Item("TXT", String.join("", strings))); // RFC 7208 §3.3: joined
                    }
                }
                case "MX" -> items.add(new Item("MX", new MxRecord(v.get(0).asInt(), v.get(1).asText())));
                case "A", "AAAA" -> items.add(new Item(type, literal(v.asText())));
                case "PTR", "CNAME" -> items.add(new Item(type, normalize(v.asText())));
                default -> throw new IllegalArgumentException("unknown record type in zonedata: " + type);
            }
        }
        if (!txtListed) {
            items.addAll(fromSpf); // after any TIMEOUT, as pyspf's runner appends them
        }
        return List.copyOf(items);
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        return query(name, "TXT", String.class::cast);
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return query(name, "MX", MxRecord.class::cast);
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        return query(name, "A", InetAddress.class::cast);
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return query(name, "AAAA", InetAddress.class::cast);
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return query(reverseName(address), "PTR", String.class::cast);
    }

    private <T> DnsResult<List<T>> query(String name, String type, Function<Object, T> cast) {
        String current = normalize(name);
        if (!isDomainName(current)) {
            return new DnsResult.NxDomain<>(current); // as DnsResolver promises: no query for such a name
        }
        Set<String> seen = new HashSet<>();
        while (seen.add(current) && seen.size() <= MAX_CNAME_HOPS) {
            List<Item> items = names.get(current);
            if (items == null) {
                return new DnsResult.NxDomain<>(current);
            }
            List<T> found = new ArrayList<>();
            String alias = null;
            for (Item item : items) {
                if (item == Item.TIMEOUT) {
                    if (found.isEmpty()) {
                        return new DnsResult.Failure<>(current, DnsResult.Failure.Kind.TIMEOUT, "TIMEOUT in zonedata");
                    }
                    break;
                }
                if (item.type().equals(type)) {
                    found.add(cast.apply(item.value()));
                } else if (item.type().equals("CNAME")) {
                    alias = (String) item.value();
                }
            }
            if (!found.isEmpty()) {
                return DnsResult.answer(List.copyOf(found));
            }
            if (alias == null) {
                return new DnsResult.NoData<>(current);
            }
            current = alias;
        }
        return new DnsResult.Failure<>(name, DnsResult.Failure.Kind.SERVFAIL, "CNAME loop at " + current);
    }

    static String reverseName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder out = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                out.append(b[i] & 0xff).append('.');
            }
            return out.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            out.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                    .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        }
        return out.append("ip6.arpa").toString();
    }

    private static boolean isDomainName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text); // zonedata holds address literals only: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
    }
}
