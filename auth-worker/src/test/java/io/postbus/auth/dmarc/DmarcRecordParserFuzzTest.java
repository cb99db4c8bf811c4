package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: on any text the record parser returns one of its three results and never throws;
 * text not starting with v=DMARC1 is never a record; and a record rendered with random whitespace,
 * case and tag order parses back to the values it was made from.
 */
class DmarcRecordParserFuzzTest {

    private final Random random = new Random(0x444d415243L);

    private static final String[] TOKENS = {"v", "=", "DMARC1", ";", " ", "\t", "p", "sp", "np", "none", "reject",
        "quarantine", "adkim", "aspf", "r", "s", "pct", "100", "0", "101", "-5", "fo", "1", "d", ":", "rf", "afrf",
        "ri", "86400", "99999999999", "t", "y", "n", "psd", "u", "rua", "ruf", "mailto:", "a@b.example", "!", "10m",
        "k", ",", "http://x.example/r", "%20", "\"", "\\", "\u00e9", "\u0000", "\r\n", "=;", ";;", "x_y", "9"};

    @Test
    void randomTextNeverThrows() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(60);
            for (int k = 0; k < n; k++) {
                b.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(0x3000)));
            }
            check(b.toString());
        }
    }

    @Test
    void randomTokenSoupNeverThrows() {
        for (int i = 0; i < 30_000; i++) {
            StringBuilder b = new StringBuilder(random.nextInt(3) == 0 ? "" : "v=DMARC1;");
            int n = random.nextInt(25);
            for (int k = 0; k < n; k++) {
                b.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
            check(b.toString());
        }
    }

    @Test
    void mutationsOfValidRecordsNeverThrow() {
        String[] seeds = {"v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=r; pct=50; fo=1:d; rf=afrf; "
            + "ri=3600; t=n; psd=u; rua=mailto:a@example.com!10m,mailto:b@example.net; ruf=mailto:f@example.com",
            "v=DMARC1; rua=mailto:d@example.org", "v=DMARC1;p=none"};
        for (int i = 0; i < 30_000; i++) {
            StringBuilder b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int m = 1 + random.nextInt(4); m > 0 && b.length() > 0; m--) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0: b.deleteCharAt(at); break;
                    case 1: b.insert(at, TOKENS[random.nextInt(TOKENS.length)]); break;
                    default: b.setCharAt(at, (char) random.nextInt(0x80));
                }
            }
            check(b.toString());
        }
    }

    @Test
    void renderedRecordsParseBackToTheirValues() {
        for (int i = 0; i < 5_000; i++) {
            DmarcPolicy p = pick(DmarcPolicy.values());
            Optional<DmarcPolicy> sp = random.nextBoolean() ? Optional.of(pick(DmarcPolicy.values())) : Optional.empty();
            Optional<DmarcPolicy> np = random.nextBoolean() ? Optional.of(pick(DmarcPolicy.values())) : Optional.empty();
            AlignmentMode adkim = pick(AlignmentMode.values());
            AlignmentMode aspf = pick(AlignmentMode.values());
            int pct = random.nextInt(101);
            boolean testing = random.nextBoolean();
            long size = random.nextInt(1000);
            List<String> tags = new ArrayList<>();
            tags.add(tag("p", p.tag()));
            sp.ifPresent(v -> tags.add(tag("sp", v.tag())));
            np.ifPresent(v -> tags.add(tag("np", v.tag())));
            tags.add(tag("adkim", adkim.tag()));
            tags.add(tag("aspf", aspf.tag()));
            tags.add(tag("pct", Integer.toString(pct)));
            tags.add(tag("t", testing ? "y" : "n"));
            tags.add(tag("rua", "mailto:r" + i + "@example.com!" + size + "k"));
            tags.add(tag("x-unknown".replace("-", "_"), "anything at all"));
            Collections.shuffle(tags, random);
            String text = ws() + "v" + ws() + "=" + ws() + "DMARC1" + ws() + ";" + String.join(";", tags)
                    + (random.nextBoolean() ? ";" : "");
            DmarcRecordParser.Result r = DmarcRecordParser.parse(text);
            assertThat(r).as(text).isInstanceOf(DmarcRecordParser.Valid.class);
            DmarcRecord record = ((DmarcRecordParser.Valid) r).record();
            assertThat(record.p()).as(text).isEqualTo(p);
            assertThat(record.sp()).as(text).isEqualTo(sp);
            assertThat(record.np()).as(text).isEqualTo(np);
            assertThat(record.adkim()).isEqualTo(adkim);
            assertThat(record.aspf()).isEqualTo(aspf);
            assertThat(record.pct()).isEqualTo(pct);
            assertThat(record.testing()).isEqualTo(testing);
            assertThat(record.rua()).singleElement().satisfies(u -> {
                assertThat(u.maxBytes().getAsLong()).isEqualTo(size * 1024);
                assertThat(u.host()).contains("example.com");
            });
        }
    }

    private String tag(String name, String value) {
        String n = random.nextBoolean() ? name.toUpperCase(Locale.ROOT) : name;
        String v = value.startsWith("mailto:") || random.nextBoolean() ? value : value.toUpperCase(Locale.ROOT);
        return ws() + n + ws() + "=" + ws() + v + ws();
    }

    private String ws() {
        return switch (random.nextInt(4)) {
            case 0 -> " ";
            case 1 -> "\t ";
            default -> "";
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static void check(String text) {
        DmarcRecordParser.Result r;
        try {
            r = DmarcRecordParser.parse(text);
        } catch (RuntimeException e) {
            throw new AssertionError("parser threw on " + escape(text), e);
        }
        assertThat(r).as(() -> escape(text)).isNotNull();
        if (!text.strip().toLowerCase(Locale.ROOT).startsWith("v") || !text.contains("DMARC1")) {
            assertThat(r).as(() -> escape(text)).isInstanceOf(DmarcRecordParser.NotDmarc.class);
        }
        if (r instanceof DmarcRecordParser.Valid v) {
            assertThat(v.record().pct()).isBetween(0, 100);
            assertThat(DmarcRecordParser.parse(text)).isEqualTo(r); // deterministic
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
