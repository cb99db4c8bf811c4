package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property test of the record parser and the evaluation behind it: whatever text a publisher puts
 * in DNS, parsing gives a record or a reason, never an exception, and check_host() turns every
 * unparsable SPF record into permerror (RFC 7208 §4.6). Seeded, so a failure can be replayed.
 */
class SpfRecordParserFuzzTest {

    private static final long SEED = 7208L;
    private static final int RECORDS = 10_000;

    /** Well-formed terms to start from; the generator then garbles some of them. */
    private static final List<String> TERMS = List.of(
            "all", "-all", "~all", "?all", "+all", "a", "a/24", "a//64", "a/24//64", "a:mail.%{d2}", "mx",
            "mx:example.net/30", "-mx:%{d}//48", "ptr", "ptr:example.org", "ip4:192.0.2.0/24", "ip4:198.51.100.7",
            "ip6:2001:db8::/32", "ip6:::ffff:1.2.3.4", "include:inc.example.com", "include:_spf.%{o}",
            "exists:%{ir}.%{l1r-}.%{d}", "exists:%{i}._spf.example.com", "redirect=red.example.com",
            "exp=exp.example.com", "exp=%{d2}", "moo=cow", "x.y_z-w=%{h}%%%_%-", "default=+", "op=pfx",
            "%{d}", "=", ":", "/", "//", "%", "%{", "}", "ip4:", "ip6:", "a:", "include:", "v=spf1");
    private static final String GARBAGE = "%{}/:=.-_+~?!\"#$&'()*,;<>@[\\]^`|0123456789aAzZ \t\r\n\0"
            + "\u0080\u0096\u00e9\u00ef\u00bb\u00bf\u017f\u0130\u212a\ud800\uffff";

    private final Random random = new Random(SEED);

    @Test
    void parsingNeverThrowsAndCheckHostGivesPermerrorForEveryBadRecord() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        SpfSettings settings = SpfSettings.defaults("mx.receiver.example");
        Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
        ObjectMapper json = new ObjectMapper();
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < RECORDS; i++) {
            String text = record();
            Parsed<SpfRecord> parsed = SpfRecordParser.parse(text);
            if (parsed instanceof Parsed.Ok<SpfRecord> ok) {
                valid++;
                List<String> terms = Arrays.asList(text.split(" "));
                assertThat(ok.value().directives()).as(text)
                        .allSatisfy(d -> assertThat(terms).contains(d.text()));
            } else {
                invalid++;
                assertThat(((Parsed.Invalid<SpfRecord>) parsed).reason()).as(text).isNotBlank();
            }
            ObjectNode zone = json.createObjectNode();
            zone.putArray("fuzz.example.com").addObject().put("TXT", text);
            zone.putArray("inc.example.com").addObject().put("TXT", "v=spf1 ip4:192.0.2.1");
            zone.putArray("red.example.com").addObject().put("TXT", "v=spf1 -all");
            SpfVerdict verdict = new SpfVerifier(SuiteZoneResolver.fromZoneData(zone), clock, settings)
                    .checkHost(client, "fuzz.example.com", "fuzz@fuzz.example.com", "helo.example.org",
                            SpfIdentity.MAILFROM);
            if (!SpfRecordParser.isSpfRecord(text)) {
                assertThat(verdict.result()).as(text).isEqualTo(SpfResult.NONE);
            } else if (parsed instanceof Parsed.Invalid) {
                assertThat(verdict.result()).as(text).isEqualTo(SpfResult.PERMERROR);
                assertThat(verdict.reason()).as(text).isPresent();
            }
        }
        System.out.printf("SPF record fuzz (seed %d): %d parsed, %d rejected%n", SEED, valid, invalid);
        // Both sides of the parser must be exercised for the property to mean anything.
        assertThat(valid).isGreaterThan(RECORDS / 20);
        assertThat(invalid).isGreaterThan(RECORDS / 5);
    }

    @Test
    void macroStringsParseOrFailAndExpandWithoutThrowing() throws Exception {
        MacroExpander macros = new MacroExpander(Sender.of("\u00fc.x-y+z@a..b.example.com"),
                InetAddress.getByName("2001:db8::1"), "[192.0.2.1]", "r", 1, d -> "p.example.com");
        int ok = 0;
        for (int i = 0; i < RECORDS; i++) {
            String text = garble(TERMS.get(random.nextInt(TERMS.size())) + "." + TERMS.get(random.nextInt(TERMS.size())));
            for (MacroString.Use use : MacroString.Use.values()) {
                if (MacroString.parse(text, use) instanceof Parsed.Ok<MacroString> parsed) {
                    ok++;
                    assertThat(macros.expand(parsed.value(), "d.example")).isNotNull();
                    String name = macros.expandDomain(parsed.value(), "d.example");
                    // §7.3 truncation: at most 253 characters, unless one label alone is longer.
                    assertThat(name.length() <= 253 || name.indexOf('.') < 0).as(text + " -> " + name).isTrue();
                }
            }
        }
        assertThat(ok).isPositive();
    }

    /** Mostly "v=spf1" and a few terms, some garbled; sometimes a wholly random string. */
    private String record() {
        if (random.nextInt(20) == 0) {
            return randomString(random.nextInt(40));
        }
        StringBuilder out = new StringBuilder(random.nextInt(10) == 0 ? garble("v=spf1") : "v=spf1");
        int terms = random.nextInt(8);
        List<String> chosen = new ArrayList<>();
        for (int t = 0; t < terms; t++) {
            String term = TERMS.get(random.nextInt(TERMS.size()));
            chosen.add(random.nextInt(4) == 0 ? garble(term) : term);
        }
        for (String term : chosen) {
            out.append(random.nextInt(10) == 0 ? "  " : " ").append(term);
        }
        if (random.nextInt(10) == 0) {
            out.append(' ');
        }
        return out.toString();
    }

    /** Inserts, replaces, deletes or truncates. */
    private String garble(String text) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            char c = GARBAGE.charAt(random.nextInt(GARBAGE.length()));
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, c);
                case 1 -> {
                    if (s.length() > 0) {
                        s.setCharAt(at, c);
                    }
                }
                case 2 -> {
                    if (s.length() > 0) {
                        s.deleteCharAt(at);
                    }
                }
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }

    private String randomString(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(GARBAGE.charAt(random.nextInt(GARBAGE.length())));
        }
        return s.toString();
    }
}
