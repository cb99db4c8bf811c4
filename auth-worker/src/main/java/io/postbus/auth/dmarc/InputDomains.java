package io.postbus.auth.dmarc;

import io.postbus.auth.psl.DomainLabels;
import java.util.Locale;

/** Domain normalisation for inputs from other checks. */
final class InputDomains {
    private InputDomains() {}

    /**
     * Lower-case A-label form; a string that is not a usable name is only lower-cased, so it simply
     * never aligns (a bad {@code d=} from elsewhere must not make DMARC throw).
     */
    static String normalize(String domain) {
        return DomainLabels.toAscii(domain).orElse(domain.toLowerCase(Locale.ROOT));
    }
}
