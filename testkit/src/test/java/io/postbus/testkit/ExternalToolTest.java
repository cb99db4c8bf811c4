package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ExternalToolTest {
    private static final Duration SHORT = Duration.ofSeconds(10);

    @Test
    void capturesExitCodeStdoutAndStderr() {
        ToolResult result = ExternalTool.run(SHORT, List.of("sh", "-c", "echo hi; echo oops >&2; exit 3"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.command().get(0)).startsWith("/");
        assertThatThrownBy(result::assertSuccess).isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("oops");
    }

    @Test
    void feedsStdinAndDecodesUtf8() {
        ToolResult result = ExternalTool.run(SHORT, List.of("cat"), "Grüße ✉\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(result.assertSuccess().stdout()).isEqualTo("Grüße ✉\r\n");
    }

    @Test
    void bigInputAndOutputDoNotDeadlockOnFullPipes() {
        byte[] fiveMegabytes = new byte[5 * 1024 * 1024];
        Arrays.fill(fiveMegabytes, (byte) 'x');
        // tee echoes everything back while still reading, so both pipes are full at once.
        ToolResult result = ExternalTool.run(SHORT, List.of("sh", "-c", "tee /dev/stderr"), fiveMegabytes);
        assertThat(result.stdout()).hasSize(fiveMegabytes.length);
        assertThat(result.stderr()).hasSize(fiveMegabytes.length);
    }

    @Test
    void timeoutKillsTheWholeTreeAndFailsWithTheOutputSoFar() {
        Duration timeout = Duration.ofMillis(700);
        long began = System.nanoTime();
        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> ExternalTool.run(timeout, List.of("sh", "-c", "sleep 60 & echo $!; wait")));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
        assertThat(failure).hasMessageContaining("did not finish within PT0.7S and was killed");
        Matcher pid = Pattern.compile("--- stdout ---\\n(\\d+)").matcher(failure.getMessage());
        assertThat(pid.find()).as("child pid in %s", failure.getMessage()).isTrue();
        // The grandchild (sleep) got SIGKILL too, not only the shell that started it.
        ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(sleep -> {
            assertThat(sleep.onExit()).succeedsWithin(Duration.ofSeconds(5));
        });
    }

    @Test
    void missingToolFailsNamingThePackageToInstall() {
        assertThat(ExternalTool.notFoundMessage("swaks"))
                .isEqualTo("swaks not found: run the README test command, which installs the Debian package swaks");
        assertThat(ExternalTool.notFoundMessage("smtp-sink")).endsWith("Debian package postfix");
        assertThatThrownBy(() -> ExternalTool.require("postbus-no-such-tool"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("postbus-no-such-tool not found: run the README test command");
    }

    @Test
    void findsSbinToolsEvenWhenPathLacksSbin() {
        // ldconfig (essential package libc-bin) lives in sbin like Postfix's smtp-sink.
        assertThat(ExternalTool.find("ldconfig", "/usr/bin:/bin")).get().asString().matches("/(usr/)?sbin/ldconfig");
        assertThat(ExternalTool.find("sh", "/usr/bin:/bin")).get().asString().endsWith("/sh");
        assertThat(ExternalTool.find("postbus-no-such-tool", "/usr/bin:/bin")).isEmpty();
    }

    @Test
    void longRunningPeerIsStoppedByClose() {
        RunningTool peer;
        try (RunningTool running = ExternalTool.start(List.of("sh", "-c", "echo ready; sleep 60 & wait"))) {
            peer = running;
            running.awaitStdout("ready", SHORT);
            assertThat(running.isAlive()).isTrue();
        }
        assertThat(peer.isAlive()).isFalse();
    }

    @Test
    void smtpSinkAcceptsMailFromSmtpSource() {
        int port = FreePort.pick();
        List<String> sinkCommand = new ArrayList<>(List.of("smtp-sink", "-c"));
        if ("root".equals(System.getProperty("user.name"))) {
            sinkCommand.addAll(List.of("-u", "nobody")); // smtp-sink refuses to run as root without -u
        }
        sinkCommand.addAll(List.of("127.0.0.1:" + port, "10"));
        try (RunningTool sink = ExternalTool.start(sinkCommand)) {
            sink.awaitPort("127.0.0.1", port, SHORT);
            ExternalTool.run(SHORT, List.of("smtp-source", "-m", "3",
                    "-f", "a@example.org", "-t", "b@example.net", "127.0.0.1:" + port)).assertSuccess();
            // -c makes smtp-sink print a running "sess=N quit=N mesg=N" counter.
            sink.awaitStdout("mesg=3", SHORT);
        }
    }

    @Test
    void awaitPortFailsFastWhenThePeerExits() {
        int port = FreePort.pick();
        try (RunningTool quitter = ExternalTool.start(List.of("sh", "-c", "echo bye >&2; exit 2"))) {
            assertThatThrownBy(() -> quitter.awaitPort("127.0.0.1", port, SHORT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited before listening")
                    .hasMessageContaining("bye");
        }
    }

    @Test
    void freePortIsBindable() throws Exception {
        int port = FreePort.pick();
        assertThat(port).isBetween(1, 65535);
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void absolutePathsAreUsedAsGiven() {
        Path sh = ExternalTool.require("/bin/sh");
        assertThat(sh).isEqualTo(Path.of("/bin/sh"));
    }
}
