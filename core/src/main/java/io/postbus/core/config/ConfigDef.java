package io.postbus.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Configuration keys declared once, each with type, default, validation and doc (Kafka's ConfigDef
 * is the model). Parsing rejects unknown keys, with a suggestion for near misses, and reports every
 * problem at once; the reference documentation is generated from the same declarations.
 */
public final class ConfigDef {

    /** One declared key. A null default means the key is required. */
    public record Key(String name, ConfigType type, String defaultValue, Predicate<Object> validator,
                      String validRange, String doc) {}

    private final Map<String, Key> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, ConfigType type, String defaultValue, String doc) {
        return define(name, type, defaultValue, v -> true, "", doc);
    }

    public ConfigDef define(String name, ConfigType type, String defaultValue, Predicate<Object> validator,
                            String validRange, String doc) {
        if (keys.putIfAbsent(name, new Key(name, type, defaultValue, validator, validRange, doc)) != null) {
            throw new IllegalStateException("configuration key defined twice: " + name);
        }
        return this;
    }

    public Map<String, Key> keys() {
        return Collections.unmodifiableMap(keys);
    }

    /** Parses raw string values; throws {@link ConfigException} listing every problem. */
    public ConfigValues parse(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                problems.add("unknown key '" + name + "'" + suggestion(name));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key key : keys.values()) {
            String text = raw.getOrDefault(key.name(), key.defaultValue());
            if (text == null) {
                problems.add("missing required key '" + key.name() + "': " + key.doc());
                continue;
            }
            try {
                Object value = key.type().parse(text);
                if (!key.validator().test(value)) {
                    problems.add("'" + key.name() + "' = '" + text + "' is not valid; expected " + key.validRange());
                } else {
                    values.put(key.name(), value);
                }
            } catch (RuntimeException e) {
                problems.add("'" + key.name() + "' = '" + text + "' is not a valid " + key.type().name().toLowerCase(Locale.ROOT)
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ConfigValues(values);
    }

    /** Reference documentation, generated from the declarations. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| key | type | default | valid | description |\n|---|---|---|---|---|\n");
        for (Key k : keys.values()) {
            sb.append("| `").append(k.name()).append("` | ").append(k.type().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(k.defaultValue() == null ? "(required)" : "`" + k.defaultValue() + "`")
                    .append(" | ").append(k.validRange()).append(" | ").append(k.doc()).append(" |\n");
        }
        return sb.toString();
    }

    private String suggestion(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : keys.keySet()) {
            int d = editDistance(unknown, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
