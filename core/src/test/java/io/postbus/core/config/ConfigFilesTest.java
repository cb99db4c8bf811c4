package io.postbus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** main.cf syntax as postconf(5) describes it: comments, blank lines, continuation lines. */
class ConfigFilesTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("postbus.cf");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsKeyValueLinesCommentsAndContinuations() throws IOException {
        Path f = write("""
                # Postbus main configuration
                myhostname = mx.example.com

                mynetworks = 127.0.0.0/8,
                    [::1]/128
                  # a comment inside a logical line does not end it
                \t192.168.0.0/16
                smtpd_timeout=5m
                   # indented comment
                relay_note = a = b
                empty =
                """);

        Map<String, String> raw = ConfigFiles.read(f);

        assertThat(raw).containsExactly(
                Map.entry("myhostname", "mx.example.com"),
                Map.entry("mynetworks", "127.0.0.0/8, [::1]/128 192.168.0.0/16"),
                Map.entry("smtpd_timeout", "5m"),
                Map.entry("relay_note", "a = b"),
                Map.entry("empty", ""));
    }

    @Test
    void aKeySetTwiceIsRejectedWithFileAndLine() throws IOException {
        Path f = write("""
                myhostname = a.example
                smtpd_timeout = 5m
                myhostname = b.example
                """);
        assertThatThrownBy(() -> ConfigFiles.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":3")
                .hasMessageContaining("'myhostname' set twice");
    }

    @Test
    void aKeySetTwiceInARowIsRejectedToo() throws IOException {
        Path f = write("a = 1\na = 1\n");
        assertThatThrownBy(() -> ConfigFiles.read(f)).isInstanceOf(ConfigException.class).hasMessageContaining(":2");
    }

    @Test
    void aContinuationBeforeAnyKeyIsRejected() throws IOException {
        Path f = write("# header\n  orphan value\nkey = v\n");
        assertThatThrownBy(() -> ConfigFiles.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2")
                .hasMessageContaining("continuation line without a key");
    }

    @Test
    void aLineWithoutEqualsSignIsRejectedWithItsNumber() throws IOException {
        Path f = write("a = 1\nthis is not a setting\n");
        assertThatThrownBy(() -> ConfigFiles.read(f)).isInstanceOf(ConfigException.class).hasMessageContaining(f + ":2");
        Path g = write("= value\n");
        assertThatThrownBy(() -> ConfigFiles.read(g)).isInstanceOf(ConfigException.class).hasMessageContaining(":1");
    }

    @Test
    void aMissingFileIsAConfigErrorNamingIt() {
        Path missing = dir.resolve("nope.cf");
        assertThatThrownBy(() -> ConfigFiles.read(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void windowsLineEndingsReadLikeUnixOnes() throws IOException {
        Path f = write("a = 1\r\nb = x,\r\n  y\r\n");
        assertThat(ConfigFiles.read(f)).containsExactly(Map.entry("a", "1"), Map.entry("b", "x, y"));
    }

    @Test
    void fileThroughDefinitionsEndToEnd() throws IOException {
        ConfigDef def = new ConfigDef()
                .define("myhostname", ConfigType.STRING, null, "greeting host")
                .define("mynetworks", ConfigType.LIST, "127.0.0.0/8", "relay clients")
                .define("message_size_limit", ConfigType.SIZE, "10240000", "largest message")
                .define("smtpd_timeout", ConfigType.DURATION, "300s", "idle timeout");
        Path f = write("""
                myhostname = mx.example.com
                mynetworks = 127.0.0.0/8
                    10.0.0.0/8
                message_size_limit = 35m
                """);

        ConfigValues v = def.parse(ConfigFiles.read(f));

        assertThat(v.list("mynetworks")).containsExactly("127.0.0.0/8", "10.0.0.0/8");
        assertThat(v.size("message_size_limit")).isEqualTo(35L * 1024 * 1024);
        assertThat(v.duration("smtpd_timeout")).isEqualTo(Duration.ofSeconds(300));
    }
}
