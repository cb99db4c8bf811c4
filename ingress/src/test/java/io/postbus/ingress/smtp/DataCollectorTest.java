package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 5321 §4.5.2 transparency and the SMTP smuggling defence, line by line. */
class DataCollectorTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyALoneDotEndsTheMessage() {
        DataCollector c = new DataCollector(new byte[0], 1000);
        assertThat(c.line(b(". "))).isEqualTo(DataCollector.LineResult.MORE);
        assertThat(c.line(b(".."))).isEqualTo(DataCollector.LineResult.MORE);
        assertThat(c.line(b(""))).isEqualTo(DataCollector.LineResult.MORE);
        assertThat(c.line(b("."))).isEqualTo(DataCollector.LineResult.END);
        assertThat(new String(c.message(), StandardCharsets.ISO_8859_1)).isEqualTo(" \r\n.\r\n\r\n");
    }

    @Test
    void smugglingVariantsAreBareNewlinesNotEnds() {
        // <LF>.<LF>, <CR>.<CR>, <LF>.<CR><LF> all arrive inside one CRLF-delimited line.
        assertThat(new DataCollector(new byte[0], 1000).line(b("x\n.\nRCPT TO:<y@z>"))).isEqualTo(DataCollector.LineResult.BARE_LF);
        assertThat(new DataCollector(new byte[0], 1000).line(b("x\r.\rRCPT TO:<y@z>"))).isEqualTo(DataCollector.LineResult.BARE_CR);
        assertThat(new DataCollector(new byte[0], 1000).line(b("x\n."))).isEqualTo(DataCollector.LineResult.BARE_LF);
    }

    @Test
    void sizeLimitKeepsReadingButRefuses() {
        DataCollector c = new DataCollector(b("P\r\n"), 10);
        c.line(b("12345"));
        assertThat(c.isTooBig()).isFalse();
        c.line(b("67890"));
        assertThat(c.isTooBig()).isTrue();
        assertThat(c.line(b("."))).isEqualTo(DataCollector.LineResult.END);
    }

    @Test
    void notesEightBitContent() {
        DataCollector c = new DataCollector(new byte[0], 1000);
        c.line(b("plain"));
        assertThat(c.hasEightBit()).isFalse();
        c.line("grüß".getBytes(StandardCharsets.UTF_8));
        assertThat(c.hasEightBit()).isTrue();
    }
}
