package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 6376 §3.2. */
class TagListTest {

    @Test
    void parsesWithFoldingWhiteSpaceAndTrailingSemicolon() {
        TagList t = TagList.parse(" v=1;\r\n\ta = rsa-sha256 ; b=ab\r\n cd;");
        assertThat(t.asMap()).containsExactly(
                java.util.Map.entry("v", "1"), java.util.Map.entry("a", "rsa-sha256"), java.util.Map.entry("b", "ab\r\n cd"));
        assertThat(TagList.withoutWhitespace(t.require("b"))).isEqualTo("abcd");
    }

    @Test
    void emptyValuesAreAllowed() {
        assertThat(TagList.parse("p=").require("p")).isEmpty();
    }

    @Test
    void duplicateTagsAndBrokenSpecsAreMalformed() {
        assertThatThrownBy(() -> TagList.parse("a=1; a=2")).isInstanceOf(MalformedTagListException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> TagList.parse("a=1;;b=2")).isInstanceOf(MalformedTagListException.class);
        assertThatThrownBy(() -> TagList.parse("novalue")).isInstanceOf(MalformedTagListException.class);
        assertThatThrownBy(() -> TagList.parse("1a=x")).isInstanceOf(MalformedTagListException.class);
        assertThatThrownBy(() -> TagList.parse("a=x\u0000")).isInstanceOf(MalformedTagListException.class);
        assertThatThrownBy(() -> TagList.parse("a=1").require("b")).isInstanceOf(MalformedTagListException.class);
    }

    @Test
    void tagNamesAreCaseSensitive() {
        TagList t = TagList.parse("A=1; a=2");
        assertThat(t.require("A")).isEqualTo("1");
        assertThat(t.require("a")).isEqualTo("2");
    }

    @Test
    void randomInputNeverThrowsAnythingButMalformed() {
        java.util.Random r = new java.util.Random(42);
        String alphabet = "ab=; \t\r\n;=xyz0_\u0001é";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                TagList t = TagList.parse(sb.toString());
                assertThat(t.asMap().keySet()).allMatch(k -> !k.isEmpty());
            } catch (MalformedTagListException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
