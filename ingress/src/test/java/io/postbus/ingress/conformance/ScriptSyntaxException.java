package io.postbus.ingress.conformance;

/** A smtpscript file that upstream's parser would have refused too (or that uses a feature we do not run). */
final class ScriptSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptSyntaxException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }
}
