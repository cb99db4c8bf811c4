package io.postbus.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value types a configuration key can have, each with its parser. Units follow Postfix where it has them. */
public enum ConfigType {
    STRING {
        @Override
        Object parse(String raw) {
            return raw;
        }
    },
    INT {
        @Override
        Object parse(String raw) {
            return Integer.parseInt(raw.trim());
        }
    },
    BOOLEAN {
        @Override
        Object parse(String raw) {
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("expected true/false/yes/no");
            };
        }
    },
    /** Postfix time units: s, m, h, d, w, plus ms; a bare number means seconds (as in Postfix). */
    DURATION {
        private final Pattern form = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)?");

        @Override
        Object parse(String raw) {
            Matcher m = form.matcher(raw.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a duration such as 300s, 5m, 1h, 5d");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
    },
    /** Bytes, with optional k/m/g (binary multiples: 35m = 35 MiB). */
    SIZE {
        private final Pattern form = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");

        @Override
        Object parse(String raw) {
            Matcher m = form.matcher(raw.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a size such as 10240000, 512k, 35m");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
            long mult = switch (unit) {
                case "k" -> 1L << 10;
                case "m" -> 1L << 20;
                case "g" -> 1L << 30;
                default -> 1L;
            };
            return Math.multiplyExact(n, mult);
        }
    },
    /** Comma- or whitespace-separated list, as in Postfix's main.cf. */
    LIST {
        @Override
        Object parse(String raw) {
            String t = raw.trim();
            if (t.isEmpty()) {
                return List.of();
            }
            return Arrays.stream(t.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        }
    };

    abstract Object parse(String raw);
}
