package io.postbus.loadtest.runner;

import io.postbus.loadtest.generator.Submission;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An MTA the load test drives: Postbus, or a peer such as Postfix with OpenDKIM for comparison.
 * The runner starts it relaying everything to the sink, submits through {@link #submission()},
 * and reads its resource use before and after.
 */
public interface SystemUnderTest extends AutoCloseable {

    /** Short name for the report, e.g. "postbus" or "postfix". */
    String name();

    /**
     * Starts the system, relaying all mail to {@code relayTo} (Postfix's relayhost) and signing
     * mail from {@code dkim}'s domain with its key when present.
     *
     * @param sender  the envelope sender the generator will use (at the DKIM domain)
     * @param workDir a private directory for the system's files
     */
    void start(InetSocketAddress relayTo, Optional<DkimKey> dkim, String sender, Path workDir) throws Exception;

    /** Where and how to submit; valid after {@link #start}. */
    Submission submission();

    /** CPU and memory of the processes that make up this system, e.g. {@link ProcessUsage#self}. */
    ProcessUsage usage();

    /**
     * Called after the warm-up, just before the measured run: a system whose memory peaks are
     * sampled starts them afresh here, so they cover the same window as the CPU figure.
     */
    default void startMeasuring() {
    }

    /**
     * True when the system runs inside the runner's JVM (Postbus), so a JFR recording of this JVM
     * profiles it; a peer in its own processes (Postfix) is not profiled.
     */
    default boolean runsInThisJvm() {
        return false;
    }

    /** One line saying how the system was set up (path, TLS, AUTH, what the process figures include). */
    String describe();

    @Override
    void close();

    /** Found by {@link java.util.ServiceLoader}, so a peer can be plugged in without the runner knowing it. */
    interface Factory {
        String name();

        /**
         * @param options  the run (e.g. its session count, which a peer sizes its process limits by)
         * @param settings the peer's own settings from the command line (for Postfix, main.cf parameters)
         */
        SystemUnderTest create(RunOptions options, java.util.Map<String, String> settings);
    }
}
