package io.postbus.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Parsed, validated values; every key declared in the {@link ConfigDef} is present. */
public final class ConfigValues {
    private final Map<String, Object> values;

    ConfigValues(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    public String string(String key) {
        return (String) get(key);
    }

    public int integer(String key) {
        return (Integer) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public Duration duration(String key) {
        return (Duration) get(key);
    }

    public long size(String key) {
        return (Long) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        return (List<String>) get(key);
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("configuration key not declared: " + key);
        }
        return v;
    }
}
