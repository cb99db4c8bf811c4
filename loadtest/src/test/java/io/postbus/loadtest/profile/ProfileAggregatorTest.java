package io.postbus.loadtest.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile over a real JFR recording of a tiny workload: two threads named as the pipeline names
 * its stage threads make RSA-2048 signatures (DKIM's cost, RFC 6376 §3.3.1) for about a second; the profile
 * gives their CPU to that stage, finds the signing in its buckets and hot methods, and its part shares add up to 100%.
 */
class ProfileAggregatorTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordedSigningWorkloadLandsInItsStageAndTheDkimBuckets() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        byte[] message = new byte[5120];
        ProcessCpu before = ProcessCpu.now();
        JfrProfiler profiler = JfrProfiler.start();
        List<Thread> threads = new ArrayList<>();
        for (String name : new String[] {"stage-auth", "stage-auth-work-1"}) {
            Thread t = new Thread(() -> {
                long end = System.nanoTime() + 1_500_000_000L;
                while (System.nanoTime() < end) {
                    sign(key, message);
                }
            }, name);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double processMs = ProcessCpu.now().millisSince(before);
        // The threads ended before the recording did: their CPU is still theirs (the poller's last reading).
        JfrProfiler.Recorded recorded = profiler.stop(tmp.resolve("tiny.jfr"));
        CpuProfile p = ProfileAggregator.aggregate(recorded, processMs);

        assertThat(tmp.resolve("tiny.jfr")).isNotEmptyFile();
                assertThat(p.samples()).isGreaterThan(10);
        CpuProfile.Part auth = p.parts().stream().filter(x -> x.name().equals("stage auth")).findFirst().orElseThrow();
        assertThat(auth.threads()).isEqualTo(2);
        // Two busy threads for 1.5 s each, on however many cores the machine lends them, minus the last 250 ms unseen.
        assertThat(auth.cpuMs()).isGreaterThan(300);
        assertThat(p.parts()).extracting(CpuProfile.Part::name).contains(ThreadParts.UNACCOUNTED)
                .anyMatch(name -> name.startsWith("JVM: ")); // at least the JIT compiled the signing loop
        assertThat(p.partsCpuMs()).isCloseTo(Math.max(processMs, p.partsCpuMs()), within(1.0));
        assertThat(p.buckets()).extracting(CpuProfile.Count::name)
                .contains("RSA private-key operation (JDK)", ProfileSection.NO_BUCKET);
        assertThat(p.ourMethods()).extracting(CpuProfile.Count::name).anyMatch(m -> m.startsWith("ProfileAggregatorTest.sign "));

        String md = ProfileSection.render("postbus", p, 100);
        assertThat(md).startsWith(ProfileSection.HEADING).contains("tiny.jfr", "CPU ms per delivered msg");
        Map<String, Double> shares = ProfileSection.parseShares(md);
        assertThat(shares).containsKey("stage auth");
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(100.0, within(0.5));
        // The JIT and GC of a cold test JVM take their share too; of the application's threads, the signers lead.
        assertThat(shares.get("stage auth")).isGreaterThan(10.0);
        assertThat(p.parts().stream().filter(x -> !x.name().startsWith("JVM: ") && !x.name().equals(ThreadParts.UNACCOUNTED))
                .findFirst().orElseThrow().name()).isEqualTo("stage auth");
    }

    private static byte[] sign(KeyPair key, byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key.getPrivate());
            s.update(message);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theJvmsOwnThreadsAreReadFromProc() {
        JvmThreadCpu tasks = JvmThreadCpu.now();
        assertThat(JvmThreadCpu.partOf("GC Thread#0")).isEqualTo(ThreadParts.GC_THREADS);
        assertThat(JvmThreadCpu.partOf("G1 Conc#0")).isEqualTo(ThreadParts.GC_THREADS);
        assertThat(JvmThreadCpu.partOf("C2 CompilerThre")).isEqualTo(ThreadParts.JIT);
        // This JVM compiled something before the test ran, and its Java threads are left out by name.
        assertThat(tasks.internalParts(java.util.Set.of())).containsKey(ThreadParts.JIT);
    }

    @Test
    void threadNamesMapToTheirParts() {
        assertThat(ThreadParts.byName("stage-queue-router-work-3")).contains("stage queue-router");
        assertThat(ThreadParts.byName("stage-delivery-worker")).contains("stage delivery-worker");
        assertThat(ThreadParts.byName("stage-auth-worker-work-2")).contains("stage auth-worker");
        assertThat(ThreadParts.byName("loadgen-7")).contains(ThreadParts.GENERATOR);
        assertThat(ThreadParts.byName("kafka-producer-network-thread | postbus-auth")).contains(ThreadParts.PRODUCER);
        assertThat(ThreadParts.byName("data-plane-kafka-request-handler-0")).contains(ThreadParts.BROKER);
        assertThat(ThreadParts.byName("kafka-log-cleaner-thread-0")).contains(ThreadParts.BROKER);
        assertThat(ThreadParts.byName("vert.x-eventloop-thread-1")).isEmpty();
        assertThat(ThreadParts.isStackOwned("vert.x-eventloop-thread-1")).isTrue();
        assertThat(ThreadParts.ownerOfFrame("io.postbus.loadtest.sink.SinkSession")).contains(ThreadParts.SINK);
        assertThat(ThreadParts.ownerOfFrame("io.postbus.ingress.server.IngressServer")).contains(ThreadParts.INGRESS);
    }

    /** This JVM's CPU from /proc/self/stat, as the runner measures it. */
    private record ProcessCpu(double ms) {
        static ProcessCpu now() {
            return new ProcessCpu(io.postbus.loadtest.runner.ProcessUsage.self("test").cpuSeconds() * 1000);
        }

        double millisSince(ProcessCpu before) {
            return now().ms - before.ms;
        }
    }
}
