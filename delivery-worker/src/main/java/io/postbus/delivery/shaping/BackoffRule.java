package io.postbus.delivery.shaping;

import io.postbus.core.bounce.StatusMatch;
import io.postbus.delivery.core.RemoteReply;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a backoff rules file: an action, a status pattern (the bounce rules' syntax: 4.7.28,
 * 4.7.*, 421, *) and optionally a case-insensitive regular expression that must occur in the text.
 *
 * @param text   null when the rule looks at the status only
 * @param source the file the rule came from, and {@code line} its line there, for the event detail
 */
public record BackoffRule(BackoffAction action, StatusMatch status, Pattern text, String source, int line) {
    public BackoffRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        if (text != null && (text.flags() & Pattern.CASE_INSENSITIVE) == 0) {
            throw new IllegalArgumentException("rule text patterns are case-insensitive: " + text.pattern());
        }
    }

    /** A multi-line reply's lines are read as one, joined by spaces. */
    public boolean matches(RemoteReply reply) {
        if (!status.matches(reply.code(), reply.enhancedStatus())) {
            return false;
        }
        String flat = reply.text() == null ? "" : reply.text().replace('\n', ' ').replace('\r', ' ');
        return text == null || text.matcher(flat).find();
    }

    /** "source:line". */
    public String origin() {
        return source + ":" + line;
    }
}
