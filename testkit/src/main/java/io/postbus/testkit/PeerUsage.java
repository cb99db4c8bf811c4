package io.postbus.testkit;

/**
 * What a multi-process peer (a private Postfix and its OpenDKIM) has consumed, summed over all its
 * processes, those still running and those already gone.
 *
 * @param userCpuSeconds   user CPU time since the peer started
 * @param systemCpuSeconds system CPU time since the peer started
 * @param peakRssBytes     the largest sum of resident set sizes over the peer's processes at one sample;
 *                         shared pages (the Postfix binaries' text, libc) count once per process, so this
 *                         overstates the memory the peer really holds
 * @param peakPssBytes     the same with proportional set sizes (shared pages divided among their users),
 *                         which sum to the memory the peer really holds; -1 when /proc/PID/smaps_rollup
 *                         could not be read (only root may read it for Postfix's processes)
 * @param peakProcesses    the most processes seen alive at one sample
 * @param samples          how many samples the peaks were taken from
 */
public record PeerUsage(double userCpuSeconds, double systemCpuSeconds, long peakRssBytes, long peakPssBytes,
                        int peakProcesses, int samples) {

    public PeerUsage {
        if (userCpuSeconds < 0 || systemCpuSeconds < 0) {
            throw new IllegalArgumentException("negative CPU time");
        }
        if (peakRssBytes < 0 || peakPssBytes < -1 || peakProcesses < 0 || samples < 0) {
            throw new IllegalArgumentException("negative peak");
        }
    }

    public double cpuSeconds() {
        return userCpuSeconds + systemCpuSeconds;
    }

    /**
     * The CPU spent between {@code earlier} and this reading, with this reading's peaks: call
     * {@link PrivatePostfix#resetPeaks()} when taking {@code earlier} so that the peaks cover the same window.
     */
    public PeerUsage since(PeerUsage earlier) {
        return new PeerUsage(Math.max(0, userCpuSeconds - earlier.userCpuSeconds),
                Math.max(0, systemCpuSeconds - earlier.systemCpuSeconds),
                peakRssBytes, peakPssBytes, peakProcesses, samples);
    }
}
