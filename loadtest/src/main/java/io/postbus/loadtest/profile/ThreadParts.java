package io.postbus.loadtest.profile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which part of the run a thread works for, by its name: the data table of the profile's "CPU by
 * part". Postbus names its own threads (stage-&lt;name&gt;, stage-&lt;name&gt;-work-N, loadgen-N,
 * ingress-kafka-send); Kafka names the broker's and the clients' threads. Vert.x event loops carry
 * no owner in their name (the ingress and the sink each run a Vert.x instance, both named
 * vert.x-eventloop-thread-N), so {@link #STACK_OWNED} threads are given to the part whose code
 * their samples show ({@link #ownerOfFrame}).
 */
public final class ThreadParts {
    public static final String GENERATOR = "generator (harness)";
    public static final String SINK = "sink (harness)";
    public static final String INGRESS = "ingress (SMTP server)";
    public static final String BROKER = "Kafka broker";
    public static final String PRODUCER = "Kafka client: producer I/O threads";
    public static final String CONSUMER = "Kafka client: consumer background threads";
    public static final String JFR = "JFR (the profiler itself)";
    public static final String VERTX_UNATTRIBUTED = "Vert.x threads, owner not sampled";
    public static final String OTHER = "other threads";
    public static final String GC_THREADS = "JVM: GC threads (G1 parallel, marking, refinement)";
    public static final String JIT = "JVM: JIT compiler threads";
    public static final String VM_OTHER = "JVM: VM thread and other internal threads (JFR sampler, service thread, ...)";
    /** Process CPU no thread's reading accounts for: threads that ended in their last 250 ms, clock-tick rounding. */
    public static final String UNACCOUNTED = "unaccounted (the last moments of threads that ended, tick rounding)";

    /** Threads named for Vert.x, not for their owner. */
    static final List<String> STACK_OWNED = List.of("vert.x-eventloop-thread", "vert.x-worker-thread", "vert.x-internal-blocking",
            "vert.x-virtual-thread");

    /** Name prefix → part; first match wins, so the longer, more specific prefixes come first. */
    private static final List<String[]> BY_PREFIX = List.of(
            new String[] {"loadgen-", GENERATOR},
            new String[] {"ingress-", INGRESS},
            new String[] {"dnsbl-lookup", INGRESS},
            new String[] {"smtp-write-watchdog", "stage delivery-worker"},
            new String[] {"smtp-connection-reaper", "stage delivery-worker"},
            new String[] {"control-reader", "Postbus control/suppression readers"},
            new String[] {"suppression-reader", "Postbus control/suppression readers"},
            new String[] {"kafka-producer-network-thread", PRODUCER},
            new String[] {"kafka-coordinator-heartbeat-thread", CONSUMER},
            new String[] {"consumer_background_thread", CONSUMER},
            new String[] {"data-plane-kafka", BROKER},
            new String[] {"kafka-", BROKER},
            new String[] {"raft-", BROKER},
            new String[] {"quorum-controller", BROKER},
            new String[] {"controller-", BROKER},
            new String[] {"broker-", BROKER},
            new String[] {"group-coordinator", BROKER},
            new String[] {"share-coordinator", BROKER},
            new String[] {"transaction-", BROKER},
            new String[] {"TxnMarkerSenderThread", BROKER},
            new String[] {"ExpirationReaper", BROKER},
            new String[] {"ReplicaFetcher", BROKER},
            new String[] {"LogDirFailureHandler", BROKER},
            new String[] {"executor-", BROKER},
            new String[] {"AddPartitionsToTxnSenderThread", BROKER},
            new String[] {"share-group-", BROKER},
            new String[] {"client-metrics-reaper", BROKER},
            new String[] {"metrics-meter-tick-thread", "Postbus metrics (Micrometer)"},
            new String[] {"vert.x-acceptor-thread", "Vert.x acceptor threads (ingress and sink)"},
            new String[] {"ThrottledChannelReaper", BROKER},
            new String[] {"JFR", JFR});

    /** Frame package → part, for the Vert.x threads: the sink's code, the ingress's, the delivery worker's. */
    private static final List<String[]> BY_FRAME = List.of(
            new String[] {"io.postbus.loadtest.sink.", SINK},
            new String[] {"io.postbus.loadtest.generator.", GENERATOR},
            new String[] {"io.postbus.ingress.", INGRESS},
            new String[] {"io.postbus.delivery.", "stage delivery-worker"});

    private ThreadParts() {}

    /** The part a thread's name names, or empty when its name does not say (Vert.x) or is unknown. */
    public static Optional<String> byName(String threadName) {
        if (isStackOwned(threadName)) {
            return Optional.empty();
        }
        // stage-<name> is a stage's consumer loop, stage-<name>-work-N its work pool: both the stage's CPU.
        if (threadName.startsWith("stage-")) {
            String rest = threadName.substring("stage-".length());
            int work = rest.indexOf("-work-");
            return Optional.of("stage " + (work < 0 ? rest : rest.substring(0, work)).toLowerCase(Locale.ROOT));
        }
        for (String[] rule : BY_PREFIX) {
            if (threadName.startsWith(rule[0])) {
                return Optional.of(rule[1]);
            }
        }
        return Optional.empty();
    }

    public static boolean isStackOwned(String threadName) {
        return STACK_OWNED.stream().anyMatch(threadName::startsWith);
    }

    /** The part whose code this frame's class is, for {@link #STACK_OWNED} threads. */
    public static Optional<String> ownerOfFrame(String className) {
        for (String[] rule : BY_FRAME) {
            if (className.startsWith(rule[0])) {
                return Optional.of(rule[1]);
            }
        }
        return Optional.empty();
    }
}
