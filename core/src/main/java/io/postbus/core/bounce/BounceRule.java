package io.postbus.core.bounce;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a bounce rules file: a class, a status pattern and, optionally, a regular expression
 * that must be found in the reply text (case-insensitive). Both must match.
 *
 * @param text   null when the rule looks at the status only
 * @param source the file (or resource) the rule came from, and {@code line} its line there: shown
 *               to operators who ask why a bounce was filed where it was
 */
public record BounceRule(BounceClass bounceClass, StatusMatch status, Pattern text, String source, int line) {
    public BounceRule {
        Objects.requireNonNull(bounceClass, "bounceClass");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        if (text != null && (text.flags() & Pattern.CASE_INSENSITIVE) == 0) {
            throw new IllegalArgumentException("rule text patterns are case-insensitive: " + text.pattern());
        }
    }

    /**
     * @param replyText the reply's text; the lines of a multi-line reply are joined with LF, which is
     *                  read as a space so that a phrase broken across lines still matches
     */
    public boolean matches(int code, String enhancedStatus, String replyText) {
        if (!status.matches(code, enhancedStatus)) {
            return false;
        }
        if (text == null) {
            return true;
        }
        String flat = replyText == null ? "" : replyText.replace('\n', ' ').replace('\r', ' ');
        return text.matcher(flat).find();
    }

    /** "source:line", for logs and the lifecycle event's detail. */
    public String origin() {
        return source + ":" + line;
    }
}
