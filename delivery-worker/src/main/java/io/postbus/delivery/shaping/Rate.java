package io.postbus.delivery.shaping;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * So many events per period: {@code 60/m}, {@code 1000/h}. The period's unit is s, m, h or d;
 * a number before the unit ({@code 100/15m}) is allowed as well.
 */
public record Rate(long count, Duration per) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{0,6})([smhd])");

    public Rate {
        if (count < 1) {
            throw new IllegalArgumentException("a rate needs a count of at least 1: " + count);
        }
        if (per == null || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate needs a positive period: " + per);
        }
    }

    public static Rate perMinute(long count) {
        return new Rate(count, Duration.ofMinutes(1));
    }

    public static Rate perHour(long count) {
        return new Rate(count, Duration.ofHours(1));
    }

    /** @throws IllegalArgumentException when {@code text} is not of the form N/unit */
    public static Rate parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a rate is a count, '/' and a unit s, m, h or d (60/m, 1000/h): " + text);
        }
        long n = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new Rate(Long.parseLong(m.group(1)), unit.multipliedBy(n));
    }

    /** The even spacing of events at this rate. */
    public Duration interval() {
        return per.dividedBy(count);
    }

    /** As written in the files: 60/h, 10/m, 100/15m. */
    @Override
    public String toString() {
        long seconds = per.toSeconds();
        String unit = seconds % 86_400 == 0 ? "d" : seconds % 3600 == 0 ? "h" : seconds % 60 == 0 ? "m" : "s";
        long size = seconds / switch (unit) {
            case "d" -> 86_400;
            case "h" -> 3600;
            case "m" -> 60;
            default -> 1;
        };
        return count + "/" + (size == 1 ? "" : Long.toString(size)) + unit;
    }
}
