package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** CPU of children that came and went is still counted: proc(5) cutime/cstime of the root that reaped them. */
class ProcessUsageSamplerTest {
    /** One line of the shell's {@code times}: user and system time as {@code 0m0.600000s 0m0.004000s}. */
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    @Test
    void countsTheCpuOfReapedChildrenAndTheMemoryOfLiveOnes() throws Exception {
        // Three short-lived children that each burn a fixed amount of CPU (so a busy machine only slows them),
        // all reaped before the first reading; then the shell reports what it and its children used (times,
        // POSIX) and becomes sleep, which uses none.
        Process root = new ProcessBuilder("sh", "-c",
                "for i in 1 2 3; do sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'; done; times; exec sleep 60")
                .redirectErrorStream(true).start();
        try (ProcessUsageSampler sampler = new ProcessUsageSampler(() -> List.of(root.pid()), Duration.ofMillis(50));
             BufferedReader out = new BufferedReader(new InputStreamReader(root.getInputStream(), StandardCharsets.US_ASCII))) {
            double shell = seconds(out.readLine());
            double children = seconds(out.readLine());
            Thread.sleep(200); // until sh has become sleep
            PeerUsage usage = sampler.usage();
            assertThat(children).isGreaterThan(0.05);
            // The live process (sleep) has used next to none: only the reaped children can account for this.
            assertThat(usage.cpuSeconds()).isCloseTo(shell + children, within(0.05));
            assertThat(usage.peakRssBytes()).isPositive();
            assertThat(usage.peakProcesses()).isGreaterThanOrEqualTo(1);

            sampler.resetPeaks();
            PeerUsage later = sampler.usage();
            assertThat(later.cpuSeconds()).isGreaterThanOrEqualTo(usage.cpuSeconds()); // counters never go back
            assertThat(later.since(usage).cpuSeconds()).isLessThan(0.05);
            assertThat(later.peakProcesses()).isEqualTo(1); // only sleep is left
        } finally {
            root.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static double seconds(String timesLine) {
        Matcher m = TIMES.matcher(String.valueOf(timesLine));
        assertThat(m.find()).as("times output: %s", timesLine).isTrue();
        return 60 * Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))
                + 60 * Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4));
    }
}
