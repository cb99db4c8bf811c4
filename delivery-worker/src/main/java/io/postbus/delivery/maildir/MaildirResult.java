package io.postbus.delivery.maildir;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file's delivery into a Maildir.
 *
 * @param file   the file in {@code new/} when delivered, else null
 * @param detail what happened, for the report ("delivered to maildir", or the error)
 */
public record MaildirResult(Status status, Path file, String detail) {
    public MaildirResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if ((status == Status.DELIVERED) != (file != null)) {
            throw new IllegalArgumentException("a file exactly when delivered");
        }
    }

    /**
     * The RFC 3463 class of the outcome. Postfix's local and virtual agents defer every mailbox
     * problem rather than bounce it: a wrong owner or a full disk is the postmaster's to fix, and
     * the mail must still be there when it is fixed.
     */
    public enum Status {
        /** 2.0.0: the file is in new/. */
        DELIVERED("2.0.0"),
        /** 4.2.0: the mailbox itself is unusable (not a directory, permission denied). */
        MAILBOX_UNAVAILABLE("4.2.0"),
        /** 4.3.0: the mail system failed (disk full, I/O error). */
        SYSTEM_ERROR("4.3.0");

        private final String enhancedStatus;

        Status(String enhancedStatus) {
            this.enhancedStatus = enhancedStatus;
        }

        public String enhancedStatus() {
            return enhancedStatus;
        }
    }
}
