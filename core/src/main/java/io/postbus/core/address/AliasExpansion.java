package io.postbus.core.address;

import java.util.List;
import java.util.Objects;

/**
 * The result of virtual alias expansion for one recipient. On any error the recipients are the
 * original address alone (Postfix's cleanup "unexpands" it) and the mail should be deferred with
 * 4.6.0, as Postfix does ("Alias expansion error ... try again later"): the tables can be fixed
 * and reloaded, so every error here is transient.
 */
public record AliasExpansion(Status status, List<MailAddress> recipients, String detail) {

    public enum Status {
        /** No table entry: the recipient stays as it is. */
        NOT_ALIASED,
        /** Replaced by one or more addresses (which may include itself, when it aliases to itself). */
        EXPANDED,
        /** An alias chain comes back to an address on it that does not alias to itself. */
        LOOP,
        /** More than virtual_alias_recursion_limit lookups along one chain. */
        TOO_DEEP,
        /** More than virtual_alias_expansion_limit addresses. */
        TOO_MANY,
        /** A table value that is not an address, or longer than virtual_alias_address_length_limit. */
        INVALID_RESULT
    }

    /** RFC 3463 §3.7 X.6.0: other or undefined media error; what Postfix uses for this. */
    public static final String ENHANCED_STATUS = "4.6.0";

    public AliasExpansion {
        Objects.requireNonNull(status, "status");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(detail, "detail");
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an expansion always has at least one recipient");
        }
    }

    public boolean isError() {
        return status != Status.NOT_ALIASED && status != Status.EXPANDED;
    }
}
