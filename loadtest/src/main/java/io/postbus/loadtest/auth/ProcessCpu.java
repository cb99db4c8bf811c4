package io.postbus.loadtest.auth;

import java.lang.management.ManagementFactory;

/** CPU time of this whole process (every thread: stages, Kafka clients, an embedded broker, GC, JIT). */
public final class ProcessCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    public static long nanos() {
        return OS.getProcessCpuTime();
    }
}
