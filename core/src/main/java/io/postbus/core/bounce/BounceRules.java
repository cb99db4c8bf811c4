package io.postbus.core.bounce;

import io.postbus.core.bounce.BounceRulesException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of {@link BounceRule}s: the first rule that matches a reply decides its class;
 * a reply no rule matches is {@link BounceClass#OTHER}. The built-in rules ship as the resource
 * {@code io/postbus/core/bounce/bounce-rules.txt}; an operator's file is put in front of them, so
 * its rules win without copying or editing ours.
 */
public final class BounceRules {
    static final String BUILT_IN_RESOURCE = "/io/postbus/core/bounce/bounce-rules.txt";
    private static final BounceRules BUILT_IN = loadBuiltIn();

    private final List<BounceRule> rules;

    private BounceRules(List<BounceRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules that come with Postbus. */
    public static BounceRules builtIn() {
        return BUILT_IN;
    }

    /** Rules from text in the bounce rules format; {@code source} names it in errors. */
    public static BounceRules parse(String text, String source) {
        return new BounceRules(BounceRulesFormat.parse(text, source));
    }

    /**
     * The operator's rules from {@code userFile}, ahead of the built-in ones.
     *
     * @throws BounceRulesException when the file cannot be read or a line is wrong
     */
    public static BounceRules withUserFile(Path userFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(userFile);
        } catch (IOException e) {
            throw new BounceRulesException(userFile.toString(), 0, Problem.UNREADABLE, "cannot read: " + e);
        }
        return new BounceRules(BounceRulesFormat.parse(bytes, userFile.toString())).then(BUILT_IN);
    }

    /** These rules first, then {@code fallback}'s. */
    public BounceRules then(BounceRules fallback) {
        List<BounceRule> all = new ArrayList<>(rules);
        all.addAll(fallback.rules);
        return new BounceRules(all);
    }

    public List<BounceRule> rules() {
        return rules;
    }

    /**
     * @param code           the basic reply code (550)
     * @param enhancedStatus the RFC 3463 code ("5.1.1"), or null when the server sent none
     * @param text           the reply text, lines joined with LF
     */
    public BounceClassification classify(int code, String enhancedStatus, String text) {
        for (BounceRule r : rules) {
            if (r.matches(code, enhancedStatus, text)) {
                return new BounceClassification(r.bounceClass(), Optional.of(r));
            }
        }
        return BounceClassification.unmatched();
    }

    private static BounceRules loadBuiltIn() {
        try (InputStream in = BounceRules.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN_RESOURCE);
            }
            return new BounceRules(BounceRulesFormat.parse(in.readAllBytes(), "built-in bounce-rules.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
