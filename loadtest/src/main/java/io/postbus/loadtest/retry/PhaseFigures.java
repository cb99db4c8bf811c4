package io.postbus.loadtest.retry;

/**
 * One phase of a {@link RetryBench} run.
 *
 * @param name              load, defer, wait or retry
 * @param jobs              jobs the phase moved (written; deferred; none while waiting; delivered)
 * @param seconds           wall-clock time of the phase
 * @param processCpuSeconds CPU time of the whole process over the phase (broker, worker, clients, GC, the
 *                          sampler's forced GCs except while waiting)
 * @param stageCpuSeconds   CPU time of the delivery worker's stage thread alone
 * @param pauses            records the stage deferred (each one a seek and a partition pause)
 * @param attempts          delivery attempts the agent was asked to make
 * @param memory            the memory samples taken during the phase
 */
record PhaseFigures(String name, long jobs, double seconds, double processCpuSeconds, double stageCpuSeconds,
                    long pauses, long attempts, MemorySampler.Stats memory) {

    double jobsPerSecond() {
        return seconds > 0 ? jobs / seconds : 0;
    }

    double coresBusy() {
        return seconds > 0 ? processCpuSeconds / seconds : 0;
    }
}
