package io.postbus.ingress.auth;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The user file is unusable: every problem found, each with its line number. Messages name users
 * and line numbers but never quote a hash or anything that might be a password. An
 * {@link IOException} because, like a malformed-input error, it means "this file cannot be used",
 * and the caller keeps its previous store either way.
 */
public final class UserFileException extends IOException {

    /** One problem; {@code line} is 1-based. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final transient List<Problem> problems;

    UserFileException(String sourceName, List<Problem> problems) {
        super(sourceName + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.sourceName = sourceName;
        this.problems = List.copyOf(problems);
    }

    public String sourceName() {
        return sourceName;
    }

    public List<Problem> problems() {
        return problems;
    }
}
