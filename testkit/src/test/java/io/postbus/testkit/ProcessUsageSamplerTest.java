package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** CPU of children that came and went is still counted: proc(5) cutime/cstime of the root that reaped them. */
class ProcessUsageSamplerTest {

    @Test
    void countsTheCpuOfReapedChildrenAndTheMemoryOfLiveOnes() throws Exception {
        // Three short-lived busy children, all reaped before the first reading; then the root only sleeps.
        Process root = new ProcessBuilder("sh", "-c",
                "for i in 1 2 3; do timeout 0.4 sh -c 'while :; do :; done'; done; echo done; exec sleep 60")
                .redirectErrorStream(true).start();
        long began = System.nanoTime();
        try (ProcessUsageSampler sampler = new ProcessUsageSampler(() -> List.of(root.pid()), Duration.ofMillis(50));
             BufferedReader out = new BufferedReader(new InputStreamReader(root.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(out.readLine()).isEqualTo("done");
            double wall = (System.nanoTime() - began) / 1e9;
            PeerUsage usage = sampler.usage();
            // The busy loops ran ~1.2 s of wall time; on a shared machine they get less CPU than that, but the
            // live process (sleep) has used next to none, so only the reaped children can account for it.
            assertThat(usage.cpuSeconds()).isGreaterThan(0.3).isLessThanOrEqualTo(wall * Runtime.getRuntime().availableProcessors());
            assertThat(usage.peakRssBytes()).isPositive();
            assertThat(usage.peakProcesses()).isGreaterThanOrEqualTo(1);

            sampler.resetPeaks();
            PeerUsage later = sampler.usage();
            assertThat(later.cpuSeconds()).isGreaterThanOrEqualTo(usage.cpuSeconds()); // counters never go back
            assertThat(later.since(usage).cpuSeconds()).isLessThan(0.2);
            assertThat(later.peakProcesses()).isEqualTo(1); // only sleep is left
        } finally {
            root.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
