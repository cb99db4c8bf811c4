package io.postbus.auth.psl;

import java.nio.file.Path;

/** The shared conformance data, and the real Public Suffix List from it, loaded once. */
public final class TestPsl {
    private static PublicSuffixList list;

    private TestPsl() {}

    public static Path conformance() {
        return Path.of(System.getProperty("postbus.shared.dir", "../../shared")).resolve("conformance");
    }

    public static Path listFile() {
        return conformance().resolve("publicsuffix/public_suffix_list.dat");
    }

    public static synchronized PublicSuffixList list() {
        if (list == null) {
            list = PublicSuffixList.load(listFile());
        }
        return list;
    }
}
