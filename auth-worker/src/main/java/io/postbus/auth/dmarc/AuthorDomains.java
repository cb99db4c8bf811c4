package io.postbus.auth.dmarc;

import java.util.List;
import java.util.Objects;

/**
 * The author domain(s) of a message: the domains of the RFC5322.From mailboxes (RFC 7489 §3.1,
 * §6.6.1), lower-case A-labels. Produced by {@link FromFieldParser}.
 */
public sealed interface AuthorDomains permits AuthorDomains.Single, AuthorDomains.Multiple, AuthorDomains.Unusable {

    /** One From field whose mailboxes are all at one domain: the normal case. */
    record Single(String domain) implements AuthorDomains {
        public Single {
            Objects.requireNonNull(domain, "domain");
            if (domain.isEmpty()) {
                throw new IllegalArgumentException("empty author domain");
            }
        }
    }

    /** One From field with mailboxes at two or more distinct domains, in order of appearance. */
    record Multiple(List<String> domains) implements AuthorDomains {
        public Multiple {
            domains = List.copyOf(domains);
            if (domains.size() < 2 || domains.stream().distinct().count() != domains.size()) {
                throw new IllegalArgumentException("need two or more distinct domains: " + domains);
            }
        }
    }

    /** No author domain DMARC can use; {@code problem.unusable()} is true. */
    record Unusable(AuthorProblem problem, String detail) implements AuthorDomains {
        public Unusable {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
            if (!problem.unusable()) {
                throw new IllegalArgumentException(problem + " leaves a usable author domain");
            }
        }
    }

    /** The domains to evaluate: one, several, or none. */
    default List<String> domains() {
        if (this instanceof Single s) {
            return List.of(s.domain());
        }
        if (this instanceof Multiple m) {
            return m.domains();
        }
        return List.of();
    }
}
