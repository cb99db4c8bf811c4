package io.postbus.ingress.conformance;

import java.time.Duration;
import java.util.List;

/**
 * How one test-case ended, with the dialogue that led there. The outcome already folds in the
 * case's {@code expect fail} and {@code skip} options, as upstream's run_testcase() does.
 */
record ScriptResult(Outcome outcome, String reason, List<String> transcript, Duration elapsed) {
    ScriptResult {
        transcript = List.copyOf(transcript);
    }

    /** Upstream's RES_OK / RES_FAIL / RES_ERROR / RES_SKIP, after {@code expect fail} is applied. */
    enum Outcome {
        PASS, FAIL, ERROR, SKIP
    }

    boolean passed() {
        return outcome == Outcome.PASS;
    }

    /** The dialogue, one line per event, for failure messages and the report. */
    String dialogue() {
        return String.join("\n", transcript);
    }

    @Override
    public String toString() {
        return outcome + (reason == null ? "" : ": " + reason);
    }
}
