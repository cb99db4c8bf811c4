package io.postbus.loadtest.generator;

import java.util.List;

/**
 * What the generator did.
 *
 * @param accepted      messages answered 250 at end of data
 * @param refused       messages refused at MAIL, RCPT or end of data (each counted once)
 * @param ioErrors      connections lost or timed out mid-transaction (the message's fate unknown)
 * @param connections   SMTP connections opened
 * @param startedNanos  {@link System#nanoTime()} when the sessions were released
 * @param endedNanos    when the last session finished
 * @param firstErrors   up to ten distinct error texts, for the report
 */
public record GeneratorResult(long accepted, long refused, long ioErrors, long connections, long startedNanos,
                              long endedNanos, List<String> firstErrors) {

    public GeneratorResult {
        firstErrors = List.copyOf(firstErrors);
    }

    public double seconds() {
        return (endedNanos - startedNanos) / 1e9;
    }

    public double acceptedPerSecond() {
        return seconds() <= 0 ? 0 : accepted / seconds();
    }
}
