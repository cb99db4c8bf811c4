package io.postbus.core.config;

import io.postbus.core.error.PermanentException;
import java.util.List;

/** Invalid configuration, with every problem found listed at once; found at start, never at run time. */
public final class ConfigException extends PermanentException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
