package io.postbus.core.dns.dnsjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

class QueryTypeTest {
    private static final Name OWNER = Name.fromConstantString("example.com.");

    /** Bytes are joined before decoding, so "ä" (C3 A4) split over two strings survives. */
    @Test
    void txtDecodesUtf8SplitAcrossStrings() {
        TXTRecord r = new TXTRecord(OWNER, DClass.IN, 60, List.of("a\\195", "\\164b"));
        assertThat(QueryType.TXT.decoder().apply(List.of(r))).containsExactly("a\u00e4b");
    }

    @Test
    void txtWithAnEmptyStringIsAnEmptyValue() {
        TXTRecord r = new TXTRecord(OWNER, DClass.IN, 60, List.of(""));
        assertThat(QueryType.TXT.decoder().apply(List.of(r))).containsExactly("");
    }
}
