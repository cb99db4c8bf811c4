package io.postbus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator's argument checks: above all, it never drives a server off this machine. */
class BenchOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:2525", "127.255.0.9:25", "localhost:2525", "LOCALHOST:2525", "[::1]:2525",
            "[0:0:0:0:0:0:0:1]:2525"})
    void acceptsLoopbackTargets(String target) {
        assertThat(BenchOptions.parse("--target", target).target().address().isLoopbackAddress()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:25", "192.168.1.1:25", "172.16.0.1:25", "8.8.8.8:25", "0.0.0.0:25",
            "128.0.0.1:25", "[::]:25", "[2001:db8::1]:25", "[fe80::1]:25", "[::ffff:10.0.0.1]:25"})
    void refusesNonLoopbackAddresses(String target) {
        assertThatThrownBy(() -> BenchOptions.parse("--target", target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing non-loopback target");
    }

    /** A name would need DNS, and DNS can point anywhere: only literals and localhost are taken. */
    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com:25", "localhost.example.com:25", "127.0.0.1.nip.io:25", "x:25",
            "999.0.0.1:25", "127.1:25"})
    void refusesNamesAndMalformedAddressesWithoutLookingThemUp(String target) {
        assertThatThrownBy(() -> BenchOptions.parse("--target", target)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:smtp", "::1:25", "[::1]25"})
    void refusesMalformedPorts(String target) {
        assertThatThrownBy(() -> BenchOptions.parse("--target", target)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void targetIsRequired() {
        assertThatThrownBy(() -> BenchOptions.parse("--sessions", "20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--target");
    }

    @Test
    void parsesEveryOption() {
        BenchOptions o = BenchOptions.parse("--target", "127.0.0.1:2525", "--label", "postbus", "--sessions", "200",
                "--messages", "10000", "--time-limit", "5m", "--body-size", "5120", "--content", "text", "--starttls", "--warmup", "2000",
                "--reply-timeout", "1500ms", "--helo", "client.example", "--from", "a@example.net",
                "--to", "b@example.com", "--result-file", "/tmp/r.tsv");

        assertThat(o.label()).isEqualTo("postbus");
        assertThat(o.sessions()).isEqualTo(200);
        assertThat(o.messages()).isEqualTo(10_000);
        assertThat(o.timeLimit()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.content()).isEqualTo(BodyContent.TEXT);
        assertThat(o.startTls()).isTrue();
        assertThat(o.warmupMessages()).isEqualTo(2000);
        assertThat(o.replyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.recipient()).isEqualTo("b@example.com");
        assertThat(o.resultFile()).hasToString("/tmp/r.tsv");
    }

    @Test
    void boundsTheRun() {
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--sessions", "0"))
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--sessions", "2001"))
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--messages", "0"))
                .hasMessageContaining("messages");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--time-limit", "0s"))
                .hasMessageContaining("time limit");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--time-limit", "2h"))
                .hasMessageContaining("time limit");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--time-limit", "soon"))
                .hasMessageContaining("duration");
    }

    /** RFC 5321 §2.3.8: a CR or LF inside a command would start a second, injected command. */
    @Test
    void refusesCrLfAndSpacesInWhatGoesIntoCommands() {
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--from", "a@b\r\nRCPT TO:<x@y>"))
                .hasMessageContaining("from");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--to", "a b@example.com"))
                .hasMessageContaining("to");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--helo", "x\ny"))
                .hasMessageContaining("helo");
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--to", "<b@example.com>"))
                .hasMessageContaining("angle brackets");
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> BenchOptions.parse("--target", "127.0.0.1:25", "--sesions", "2"))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> BenchOptions.parse("--target")).hasMessageContaining("needs a value");
    }
}
