package io.postbus.delivery.worker;

import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/** Tear-down shared by the worker tests: the stage first, then whatever it talked to. */
final class WorkerTestParts {
    private WorkerTestParts() {}

    /**
     * Closes the test's producer (bounded, so a broker gone first cannot hang the suite) and every
     * part in order, skipping nulls (a failed set-up) and carrying on past a failing close.
     */
    static void closeAll(Producer<?, ?> producer, AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // best effort: the other parts must still be closed
                }
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
