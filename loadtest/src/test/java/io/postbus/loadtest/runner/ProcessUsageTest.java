package io.postbus.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** proc(5) parsing, and that this JVM's own figures are plausible. */
class ProcessUsageTest {

    @Test
    void statFieldsAreCountedAfterTheLastParenthesisOfTheName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String line = "4242 (qmgr (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 12345 0 0";
        double[] t = ProcessUsage.parseStat(line);
        assertThat(t[0]).isEqualTo(300);
        assertThat(t[1]).isEqualTo(10);
    }

    @Test
    void thisJvmHasUsedCpuAndMemoryAndItsTreeIncludesItself() {
        ProcessUsage self = ProcessUsage.self("test");
        assertThat(self.cpuSeconds()).isPositive();
        assertThat(self.peakRssBytes()).isGreaterThan(16L << 20);
        ProcessUsage tree = ProcessUsage.tree("tree", ProcessHandle.current().pid());
        assertThat(tree.processes()).isGreaterThanOrEqualTo(1);
        assertThat(tree.cpuSeconds()).isPositive();
        assertThat(tree.since(tree).cpuSeconds()).isZero();
    }
}
