package io.postbus.delivery.shaping;

import io.postbus.delivery.route.AddressLiterals;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shaping file (setting {@code delivery.shaping.file}): one entry per line, a shaping group and
 * its limits as {@code key=value} words; a line starting with white space continues the entry above.
 *
 * <pre>
 * # group       limits
 * default       max-connections=10 messages-per-connection=100
 * gmail         max-connections=20 messages-per-minute=600 messages-per-hour=20000
 *               connections-per-minute=30
 * example.org   messages-per-minute=1
 * bulk          source-address=192.0.2.10,192.0.2.11,2001:db8::10 helo-name=bulk.example.com
 * </pre>
 *
 * The {@code default} entry applies to every group without an entry of its own, and fills in the
 * keys an entry leaves out; what {@code default} leaves out comes from {@link SiteLimits#DEFAULTS}.
 * Besides the limits ({@link Key}), an entry may say who its mail leaves as ({@link SiteEgress}):
 * {@code source-address=} a comma-separated pool of IP addresses of this host to bind, and
 * {@code helo-name=} the EHLO name.
 * A group is a site name from the routing table, or a destination domain for mail of the
 * {@code default} site (see {@link ShapingGroup}). Names ignore case. Keys: {@link Key}. Unknown
 * keys, repeated keys or entries, and values that are not whole numbers are errors with a line number.
 */
public final class ShapingConfig {
    public static final String DEFAULT_ENTRY = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
    static final String SOURCE_ADDRESS = "source-address";
    static final String HELO_NAME = "helo-name";
    /** A host name or an address literal, as EHLO takes it (RFC 5321 §4.1.1.1); nothing that splits the command. */
    private static final Pattern HELO = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]|\\[IPv6:[0-9A-Fa-f:.]+]");

    /** The limit keys of an entry; 0 means no limit. */
    public enum Key {
        MAX_CONNECTIONS("max-connections"),
        MESSAGES_PER_CONNECTION("messages-per-connection"),
        MESSAGES_PER_MINUTE("messages-per-minute"),
        MESSAGES_PER_HOUR("messages-per-hour"),
        CONNECTIONS_PER_MINUTE("connections-per-minute");

        private final String word;

        Key(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Key of(String word) {
            for (Key k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final SiteLimits defaults;
    private final Map<String, SiteLimits> groups;
    private final SiteEgress defaultEgress;
    private final Map<String, SiteEgress> egress;

    private ShapingConfig(SiteLimits defaults, Map<String, SiteLimits> groups, SiteEgress defaultEgress,
                          Map<String, SiteEgress> egress) {
        this.defaults = defaults;
        this.groups = Collections.unmodifiableMap(groups);
        this.defaultEgress = defaultEgress;
        this.egress = Collections.unmodifiableMap(egress);
    }

    /** No file: every group gets {@link SiteLimits#DEFAULTS} and {@link SiteEgress#NONE}. */
    public static ShapingConfig defaults() {
        return new ShapingConfig(SiteLimits.DEFAULTS, Map.of(), SiteEgress.NONE, Map.of());
    }

    public static ShapingConfig read(Path file) {
        return parse(RuleLines.read(file), file.toString());
    }

    /** @param source names the text in errors */
    public static ShapingConfig parse(String text, String source) {
        Map<String, Map<Key, Integer>> entries = new LinkedHashMap<>();
        Map<String, SiteEgress> egressEntries = new LinkedHashMap<>();
        for (RuleLines.Line line : RuleLines.of(text, source)) {
            String[] words = line.text().split("\\s+");
            String name = words[0].toLowerCase(Locale.ROOT);
            if (!NAME.matcher(name).matches()) {
                throw new ShapingFileException(source, line.number(), "not a site or domain name: " + words[0]);
            }
            if (entries.containsKey(name)) {
                throw new ShapingFileException(source, line.number(), "a second entry for " + name);
            }
            if (words.length < 2) {
                throw new ShapingFileException(source, line.number(), "expected: name key=value [key=value ...]");
            }
            Map<Key, Integer> values = new LinkedHashMap<>();
            Map<String, String> identity = new LinkedHashMap<>();
            for (int i = 1; i < words.length; i++) {
                String key = words[i].contains("=") ? words[i].substring(0, words[i].indexOf('=')).toLowerCase(Locale.ROOT) : "";
                if (key.equals(SOURCE_ADDRESS) || key.equals(HELO_NAME)) {
                    if (identity.put(key, words[i].substring(key.length() + 1)) != null) {
                        throw new ShapingFileException(source, line.number(), key + " given twice");
                    }
                } else {
                    putLimit(values, words[i], source, line.number());
                }
            }
            entries.put(name, values);
            egressEntries.put(name, egress(identity, source, line.number()));
        }
        SiteLimits defaults = merge(entries.getOrDefault(DEFAULT_ENTRY, Map.of()), SiteLimits.DEFAULTS);
        Map<String, SiteLimits> groups = new LinkedHashMap<>();
        entries.forEach((name, values) -> {
            if (!name.equals(DEFAULT_ENTRY)) {
                groups.put(name, merge(values, defaults));
            }
        });
        SiteEgress defaultEgress = egressEntries.getOrDefault(DEFAULT_ENTRY, SiteEgress.NONE);
        Map<String, SiteEgress> egress = new LinkedHashMap<>();
        egressEntries.forEach((name, e) -> {
            if (!name.equals(DEFAULT_ENTRY)) {
                egress.put(name, e.orElse(defaultEgress));
            }
        });
        return new ShapingConfig(defaults, groups, defaultEgress, egress);
    }

    private static SiteEgress egress(Map<String, String> words, String source, int line) {
        List<InetAddress> pool = new ArrayList<>();
        String addresses = words.get(SOURCE_ADDRESS);
        if (addresses != null) {
            for (String a : addresses.split(",", -1)) {
                // Literals only: a host name would need DNS at startup, and bind to whatever it says.
                InetAddress address = AddressLiterals.parse(a.strip()).orElseThrow(() -> new ShapingFileException(
                        source, line, SOURCE_ADDRESS + " must be IP addresses separated by commas: " + a));
                if (pool.contains(address)) {
                    throw new ShapingFileException(source, line, SOURCE_ADDRESS + " lists " + a + " twice");
                }
                pool.add(address);
            }
        }
        String helo = words.get(HELO_NAME);
        if (helo != null && !HELO.matcher(helo).matches()) {
            throw new ShapingFileException(source, line, HELO_NAME + " must be a host name or an address literal: " + helo);
        }
        return new SiteEgress(pool, Optional.ofNullable(helo));
    }

    private static void putLimit(Map<Key, Integer> values, String word, String source, int line) {
        int eq = word.indexOf('=');
        Key key = eq > 0 ? Key.of(word.substring(0, eq).toLowerCase(Locale.ROOT)) : null;
        if (key == null) {
            throw new ShapingFileException(source, line, (eq > 0 ? "unknown key " + word.substring(0, eq) : "expected key=value: " + word)
                    + " (keys: " + List.of(Key.values()).stream().map(Key::word).toList() + ", " + SOURCE_ADDRESS + ", " + HELO_NAME + ")");
        }
        String raw = word.substring(eq + 1);
        if (!raw.matches("\\d{1,9}")) {
            throw new ShapingFileException(source, line, key.word() + " must be a whole number, 0 for no limit: " + raw);
        }
        if (values.put(key, Integer.parseInt(raw)) != null) {
            throw new ShapingFileException(source, line, key.word() + " given twice");
        }
    }

    private static SiteLimits merge(Map<Key, Integer> v, SiteLimits base) {
        return new SiteLimits(
                v.getOrDefault(Key.MAX_CONNECTIONS, base.maxConnections()),
                v.getOrDefault(Key.MESSAGES_PER_CONNECTION, base.messagesPerConnection()),
                v.getOrDefault(Key.MESSAGES_PER_MINUTE, base.messagesPerMinute()),
                v.getOrDefault(Key.MESSAGES_PER_HOUR, base.messagesPerHour()),
                v.getOrDefault(Key.CONNECTIONS_PER_MINUTE, base.connectionsPerMinute()));
    }

    /** The limits for a shaping group (see {@link ShapingGroup}). */
    public SiteLimits limitsFor(String group) {
        return groups.getOrDefault(group.toLowerCase(Locale.ROOT), defaults);
    }

    /** Who the group's mail leaves as: its entry's source addresses and HELO name, else the default entry's. */
    public SiteEgress egressFor(String group) {
        return egress.getOrDefault(group.toLowerCase(Locale.ROOT), defaultEgress);
    }

    public SiteLimits defaultLimits() {
        return defaults;
    }

    /** The groups with entries of their own. */
    public Map<String, SiteLimits> groups() {
        return groups;
    }
}
