package io.postbus.core.control;

import java.time.Instant;
import java.util.Objects;

/**
 * One operator command as the control plane keeps it (the value of a mail.control record, free of
 * its Avro form). Message actions go with queue ids or ALL, SUSPEND and RESUME with destinations and
 * sites: any other pairing is refused here, so a state never holds a command it cannot mean.
 *
 * @param expiresAt when the command stops applying by itself; null for never
 * @param reason    the operator's words, for events and logs; may be null
 */
public record ControlOrder(String commandId, ControlAction action, ControlTarget target, Instant issuedAt,
                           Instant expiresAt, String reason) {
    public ControlOrder {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (!pairs(action, target.kind())) {
            throw new IllegalArgumentException(action + " does not apply to a " + target.kind() + " target");
        }
    }

    /** True when {@code action} can be applied to targets of {@code kind}. */
    public static boolean pairs(ControlAction action, TargetKind kind) {
        return action.aboutMessages() == kind.namesMessages();
    }

    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
