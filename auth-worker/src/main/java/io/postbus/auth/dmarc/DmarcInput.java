package io.postbus.auth.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What DMARC evaluation needs from a message: its author domain(s) and the DKIM and SPF outcomes.
 *
 * @param author the RFC5322.From domain(s), from {@link FromFieldParser}
 * @param dkim   every DKIM signature's outcome (empty when unsigned)
 * @param spf    the SPF outcome, if SPF was checked
 */
public record DmarcInput(AuthorDomains author, List<DkimCheck> dkim, Optional<SpfCheck> spf) {

    public DmarcInput {
        Objects.requireNonNull(author, "author");
        dkim = List.copyOf(dkim);
        Objects.requireNonNull(spf, "spf");
    }

    /** Input for a message whose From field is known to hold exactly {@code fromDomain}. */
    public static DmarcInput of(String fromDomain, List<DkimCheck> dkim, Optional<SpfCheck> spf) {
        return new DmarcInput(new AuthorDomains.Single(InputDomains.normalize(fromDomain)), dkim, spf);
    }

    /** True when any underlying check ended in a temporary error. */
    public boolean anyTempError() {
        return dkim.stream().anyMatch(d -> d.result() == DkimCheck.Result.TEMPERROR)
                || spf.map(s -> s.result() == SpfCheck.Result.TEMPERROR).orElse(false);
    }
}
