package io.postbus.delivery.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How the delivery worker reports to senders (RFC 3461 DSNs), in Postfix's terms.
 *
 * @param myhostname            Reporting-MTA and MAILER-DAEMON's domain (Postfix myhostname)
 * @param delayWarningTime      after how long in the queue a sender is warned that mail is still
 *                              being retried, once; {@link Duration#ZERO} for never (Postfix
 *                              delay_warning_time, default 0h)
 * @param bounceSizeLimit       largest message returned whole in a failure report (Postfix
 *                              bounce_size_limit, default 50000)
 * @param doubleBounceRecipient who hears of failed null-sender mail (Postfix 2bounce_notice_recipient);
 *                              null to drop it silently
 */
public record DsnSettings(String myhostname, Duration delayWarningTime, int bounceSizeLimit, String doubleBounceRecipient) {
    public DsnSettings {
        Objects.requireNonNull(myhostname, "myhostname");
        Objects.requireNonNull(delayWarningTime, "delayWarningTime");
        if (delayWarningTime.isNegative()) {
            throw new IllegalArgumentException("delay warning time must not be negative: " + delayWarningTime);
        }
        if (bounceSizeLimit < 0) {
            throw new IllegalArgumentException("bounce size limit must not be negative: " + bounceSizeLimit);
        }
    }

    /** Postfix's defaults: no delay warnings, 50000 bytes returned, double bounces to postmaster@myhostname. */
    public static DsnSettings defaults(String myhostname) {
        return new DsnSettings(myhostname, Duration.ZERO, 50_000, "postmaster@" + myhostname);
    }

    public DsnSettings withDelayWarningTime(Duration d) {
        return new DsnSettings(myhostname, d, bounceSizeLimit, doubleBounceRecipient);
    }

    public boolean warnsOfDelays() {
        return !delayWarningTime.isZero();
    }

    /**
     * Whether the attempt at {@code now} is the one that warns: the first attempt made after the
     * mail has waited {@code delayWarningTime}. The previous attempt's time (the job's last error)
     * tells whether an earlier attempt already crossed that line, so each job warns once without
     * keeping a flag (Postfix keeps one in the queue file).
     *
     * @param previousAttempt when the job last failed; null on its first attempt
     */
    public boolean delayWarningDue(Instant firstSeen, Instant previousAttempt, Instant now) {
        if (!warnsOfDelays()) {
            return false;
        }
        Instant line = firstSeen.plus(delayWarningTime);
        return !now.isBefore(line) && (previousAttempt == null || previousAttempt.isBefore(line));
    }
}
