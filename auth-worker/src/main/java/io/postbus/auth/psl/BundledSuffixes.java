package io.postbus.auth.psl;

import com.google.thirdparty.publicsuffix.PublicSuffixPatterns;
import com.google.thirdparty.publicsuffix.PublicSuffixType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Public Suffix List compiled into Guava, as list lines: the fallback when neither a configured
 * file nor Debian's {@code publicsuffix} package is there, so that {@code postbus up} starts on a
 * fresh machine. It is as old as the Guava release; an installed list is always preferred. (Running
 * DMARC with no list at all is not an option: the implicit rule would make "co.uk" an organization.)
 */
public final class BundledSuffixes {
    private BundledSuffixes() {}

    public static PublicSuffixList list() {
        return PublicSuffixList.parse(lines());
    }

    static List<String> lines() {
        List<String> icann = new ArrayList<>();
        List<String> priv = new ArrayList<>();
        add(PublicSuffixPatterns.EXACT, "", icann, priv);
        add(PublicSuffixPatterns.UNDER, "*.", icann, priv);
        add(PublicSuffixPatterns.EXCLUDED, "!", icann, priv);
        List<String> out = new ArrayList<>();
        out.add("// ===BEGIN ICANN DOMAINS===");
        out.addAll(icann);
        out.add("// ===END ICANN DOMAINS===");
        out.add("// ===BEGIN PRIVATE DOMAINS===");
        out.addAll(priv);
        out.add("// ===END PRIVATE DOMAINS===");
        return out;
    }

    private static void add(Map<String, PublicSuffixType> rules, String prefix, List<String> icann, List<String> priv) {
        rules.forEach((rule, type) -> (type == PublicSuffixType.PRIVATE ? priv : icann).add(prefix + rule));
    }
}
