package io.postbus.delivery.shaping;

import io.postbus.core.bounce.StatusMatch;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.core.RetrySchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Response-driven backoff: replies that mean "slow down" (Gmail's 421 4.7.28, Yahoo's [TSS04],
 * Microsoft's 4.7.5xx) slow or pause the site that sent them, as PowerMTA's backoff mode and
 * KumoMTA's shaping do. One rule per line, the first match wins:
 *
 * <pre>
 * # action                 status    text (regular expression, case-insensitive; rest of the line)
 * suspend 30m              4.7.28
 * throttle 60/h for 1h     421       rate limit
 * </pre>
 *
 * The status column is the bounce rules' ({@link StatusMatch}); durations are a number and s, m, h
 * or d; a rate is a count, '/' and a unit. Built-in rules ship as the resource
 * {@code io/postbus/delivery/shaping/backoff-rules.txt}; an operator's file (setting
 * {@code delivery.backoff.rules.file}) goes in front of them.
 */
public final class BackoffRules {
    static final String BUILT_IN_RESOURCE = "/io/postbus/delivery/shaping/backoff-rules.txt";
    private static final BackoffRules BUILT_IN = loadBuiltIn();

    private final List<BackoffRule> rules;

    private BackoffRules(List<BackoffRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static BackoffRules builtIn() {
        return BUILT_IN;
    }

    public static BackoffRules none() {
        return new BackoffRules(List.of());
    }

    public static BackoffRules parse(String text, String source) {
        List<BackoffRule> rules = new ArrayList<>();
        for (RuleLines.Line line : RuleLines.of(text, source)) {
            rules.add(rule(line.text(), source, line.number()));
        }
        return new BackoffRules(rules);
    }

    /** The operator's rules from {@code userFile}, ahead of the built-in ones. */
    public static BackoffRules withUserFile(Path userFile) {
        return parse(RuleLines.read(userFile), userFile.toString()).then(BUILT_IN);
    }

    /** These rules first, then {@code fallback}'s. */
    public BackoffRules then(BackoffRules fallback) {
        List<BackoffRule> all = new ArrayList<>(rules);
        all.addAll(fallback.rules);
        return new BackoffRules(all);
    }

    public List<BackoffRule> rules() {
        return rules;
    }

    /** The first rule matching {@code reply}; positive replies never match. */
    public Optional<BackoffRule> match(RemoteReply reply) {
        if (reply.isPositive()) {
            return Optional.empty();
        }
        return rules.stream().filter(r -> r.matches(reply)).findFirst();
    }

    private static BackoffRule rule(String line, String source, int number) {
        String verb = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        // The action takes a fixed number of words; then the status; the text is the rest, spaces kept.
        int actionWords = verb.equals("throttle") ? 4 : 2;
        String[] w = line.split("\\s+", actionWords + 2);
        BackoffAction action;
        try {
            switch (verb) {
                case "suspend" -> action = new BackoffAction.Suspend(duration(word(w, 1)));
                case "throttle" -> {
                    if (!word(w, 2).equalsIgnoreCase("for")) {
                        throw new IllegalArgumentException("expected: throttle <rate> for <duration>");
                    }
                    action = new BackoffAction.Throttle(Rate.parse(word(w, 1)), duration(word(w, 3)));
                }
                default -> throw new IllegalArgumentException(
                        "unknown action \"" + w[0] + "\": suspend <duration> or throttle <rate> for <duration>");
            }
        } catch (IllegalArgumentException e) {
            throw new ShapingFileException(source, number, e.getMessage());
        }
        if (w.length <= actionWords || !StatusMatch.isValid(w[actionWords])) {
            throw new ShapingFileException(source, number, "after the action, a status: an enhanced code like 4.7.28 or "
                    + "4.7.*, a reply code like 421, or *" + (w.length <= actionWords ? "" : ": " + w[actionWords]));
        }
        Pattern text = null;
        if (w.length == actionWords + 2 && !w[actionWords + 1].isBlank()) {
            try {
                text = Pattern.compile(w[actionWords + 1].strip(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new ShapingFileException(source, number,
                        "bad regular expression: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return new BackoffRule(action, new StatusMatch(w[actionWords]), text, source, number);
    }

    private static String word(String[] w, int i) {
        if (i >= w.length) {
            throw new IllegalArgumentException("expected: suspend <duration> | throttle <rate> for <duration>, then a status");
        }
        return w[i];
    }

    private static Duration duration(String text) {
        Duration d = RetrySchedule.parseTier(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("a backoff lasts a positive time: " + text);
        }
        return d;
    }

    private static BackoffRules loadBuiltIn() {
        try (InputStream in = BackoffRules.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in backoff-rules.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
