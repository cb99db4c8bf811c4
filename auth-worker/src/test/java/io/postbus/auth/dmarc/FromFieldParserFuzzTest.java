package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property: on any text the From parser returns an {@link AuthorDomains} and never throws; every
 * domain it returns is a lower-case A-label name; and mailbox lists built from the RFC 5322 forms
 * (display names, quoted strings, comments, angle-addr, groups) give back exactly their domains.
 */
class FromFieldParserFuzzTest {

    private final Random random = new Random(0x46524f4dL);

    private static final String[] TOKENS = {"a", "user", "@", "example", ".", "com", "<", ">", ",", ":", ";", "\"",
        "\\", "(", ")", "[", "]", " ", "\t", "\r\n ", "Jörg", "bücher", "192.0.2.1", "=?UTF-8?B?SsO2cmc=?=", "!", "..",
        "\u0000", "\u3002", "x".repeat(70), "-", "_", "'"};

    @Test
    void randomTextNeverThrows() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(50);
            for (int k = 0; k < n; k++) {
                b.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(0x3000)));
            }
            check(List.of(b.toString()));
        }
    }

    @Test
    void randomTokenSoupNeverThrows() {
        for (int i = 0; i < 40_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(20);
            for (int k = 0; k < n; k++) {
                b.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
            check(List.of(b.toString()));
        }
    }

    @Test
    void generatedMailboxListsGiveTheirDomains() {
        for (int i = 0; i < 10_000; i++) {
            int count = 1 + random.nextInt(3);
            List<String> boxes = new ArrayList<>();
            Set<String> domains = new LinkedHashSet<>();
            for (int k = 0; k < count; k++) {
                String domain = "d" + random.nextInt(3) + (random.nextBoolean() ? ".example" : ".Example.ORG");
                domains.add(domain.toLowerCase(java.util.Locale.ROOT));
                boxes.add(mailbox(domain));
            }
            String value = String.join(random.nextBoolean() ? ", " : ",", boxes);
            if (random.nextInt(4) == 0) {
                value = "Group" + comment() + ": " + value + ";";
            }
            AuthorDomains d = FromFieldParser.parse(List.of(value));
            assertThat(d.domains()).as(value).containsExactlyElementsOf(domains);
            assertThat(d).as(value).isInstanceOf(domains.size() == 1 ? AuthorDomains.Single.class
                    : AuthorDomains.Multiple.class);
        }
    }

    private String mailbox(String domain) {
        String local = random.nextBoolean() ? "first.last" : "\"odd local@part\\\"\"";
        String addr = local + comment() + "@" + comment() + domain + comment();
        switch (random.nextInt(4)) {
            case 0: return addr;
            case 1: return "<" + local + "@" + domain + ">";
            case 2: return "Display Q. Name" + comment() + " <" + local + "@" + domain + ">";
            default: return "\"Quoted, <display> \\\"name\\\"\" <" + local + "@" + domain + ">";
        }
    }

    private String comment() {
        return random.nextInt(3) == 0 ? " (a (nested) comment, with @ and <>) " : "";
    }

    private static void check(List<String> values) {
        AuthorDomains d;
        try {
            d = FromFieldParser.parse(values);
        } catch (RuntimeException e) {
            throw new AssertionError("parser threw on " + values, e);
        }
        assertThat(d).isNotNull();
        for (String domain : d.domains()) {
            assertThat(domain).as(values::toString).matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*").doesNotStartWith(".")
                    .doesNotContain("..");
        }
    }
}
