package io.postbus.delivery.shaping;

import io.postbus.delivery.core.RemoteReply;
import java.time.Instant;

/** A backoff rule that matched a reply and now slows or pauses {@code group} until {@code until}. */
public record AppliedBackoff(String group, BackoffRule rule, RemoteReply reply, Instant until) {
    /** "gmail: throttle 60/PT1H for PT1H until ... by built-in backoff-rules.txt:31 after 421 4.7.28 ...". */
    public String describe() {
        return group + ": " + rule.action() + " until " + until + " by " + rule.origin() + " after " + reply;
    }
}
