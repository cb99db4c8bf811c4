package io.postbus.loadtest.generator;

import java.util.List;

/** Told about every message the system under test took responsibility for (its 250 to the end of data). */
@FunctionalInterface
public interface AcceptListener {

    /**
     * @param id                 the {@value LoadMessage#ID_HEADER} value
     * @param recipients         the recipients whose RCPT was accepted
     * @param acceptedAtNanos    {@link System#nanoTime()} when the 250 was read
     * @param acceptLatencyNanos from writing the end-of-data mark to reading the 250
     */
    void accepted(long id, List<String> recipients, long acceptedAtNanos, long acceptLatencyNanos);
}
