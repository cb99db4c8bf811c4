package io.postbus.delivery.shaping;

import io.postbus.delivery.core.RemoteReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Traffic shaping per group (a site, or a destination of the catch-all site; see
 * {@link ShapingGroup}): before each message, {@link #admit} answers "go now" or "not before T,
 * because …"; the SMTP agent reports the connections it opens and keeps idle; after each attempt,
 * {@link #afterReplies} lets backoff rules slow or pause the group.
 *
 * <p>Everything lives in this process's memory. It holds for the whole cluster because one
 * partition owner delivers all of a group's mail; after a rebalance the new owner starts with full
 * buckets (at most one burst too many, once). Thread-safe: deliveries may become concurrent, and
 * the SMTP agent's idle-connection reaper calls in from its own thread.
 */
public final class SiteShaper {
    /** How soon to ask again when every connection slot of a group is busy: one is freed any moment. */
    static final Duration BUSY_RECHECK = Duration.ofSeconds(1);
    /** Above this many remembered groups, rested ones are forgotten (each destination is a group). */
    private static final int SWEEP_ABOVE = 10_000;

    private final ShapingConfig config;
    private final BackoffRules rules;
    private final Clock clock;
    private final Map<String, GroupState> groups = new HashMap<>();

    public SiteShaper(ShapingConfig config, BackoffRules rules, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Default limits (no rates) and the built-in backoff rules. */
    public static SiteShaper withDefaults(Clock clock) {
        return new SiteShaper(ShapingConfig.defaults(), BackoffRules.builtIn(), clock);
    }

    public SiteLimits limits(String group) {
        return config.limitsFor(group);
    }

    /** The group's source addresses and HELO name (the shaping file's source-address= and helo-name=). */
    public SiteEgress egress(String group) {
        return config.egressFor(group);
    }

    /**
     * May one message of {@code group} be delivered now? A {@link Admission.Go} takes a connection
     * slot and one unit of every message rate; a {@link Admission.Wait} takes nothing.
     */
    public synchronized Admission admit(String group) {
        Instant now = clock.instant();
        GroupState s = state(group);
        if (s.suspendedUntil != null && now.isBefore(s.suspendedUntil)) {
            return new Admission.Wait(group, s.suspendedUntil, Admission.Reason.BACKOFF_SUSPENDED,
                    "suspended: " + s.suspendedBy.describe());
        }
        if (s.throttle != null && now.isBefore(s.throttledBy.until())) {
            Instant at = s.throttle.nextAllowed(now);
            if (at.isAfter(now)) {
                return new Admission.Wait(group, at, Admission.Reason.BACKOFF_THROTTLED,
                        "throttled: " + s.throttledBy.describe());
            }
        }
        for (RateBucket b : s.messageRates) {
            Instant at = b.nextAllowed(now);
            if (at.isAfter(now)) {
                return new Admission.Wait(group, at, Admission.Reason.MESSAGE_RATE,
                        group + ": message rate " + b.rate() + " reached");
            }
        }
        if (s.limits.maxConnections() > 0 && s.inFlight >= s.limits.maxConnections()) {
            return new Admission.Wait(group, now.plus(BUSY_RECHECK), Admission.Reason.MAX_CONNECTIONS,
                    group + ": all " + s.limits.maxConnections() + " connections busy");
        }
        // An idle connection is reused without opening one, so the connection rate does not apply.
        if (s.connectionRate != null && s.idleConnections == 0) {
            Instant at = s.connectionRate.nextAllowed(now);
            if (at.isAfter(now)) {
                return new Admission.Wait(group, at, Admission.Reason.CONNECTION_RATE,
                        group + ": connection rate " + s.connectionRate.rate() + " reached");
            }
        }
        s.messageRates.forEach(b -> b.take(now));
        if (s.throttle != null) {
            s.throttle.take(now);
        }
        s.inFlight++;
        return new Admission.Go(group);
    }

    /** The attempt admitted by {@link #admit} is over: its connection slot is free. */
    public synchronized void finished(String group) {
        GroupState s = state(group);
        s.inFlight = Math.max(0, s.inFlight - 1);
    }

    /**
     * A new connection for {@code group} was opened. Counted even when the rate did not foresee it
     * (the idle connection {@link #admit} counted on went to another MX host): later ones wait longer.
     */
    public synchronized void connectionOpened(String group) {
        GroupState s = state(group);
        if (s.connectionRate != null) {
            s.connectionRate.take(clock.instant());
        }
    }

    /** A connection of {@code group} was put aside for reuse. */
    public synchronized void connectionParked(String group) {
        state(group).idleConnections++;
    }

    /** An idle connection of {@code group} was taken for a message, or closed. */
    public synchronized void connectionUnparked(String group) {
        GroupState s = state(group);
        s.idleConnections = Math.max(0, s.idleConnections - 1);
    }

    /**
     * Feeds one attempt's replies to the backoff rules. A suspension lasts until the latest end any
     * matching reply gave it; a throttle replaces a weaker or older one. Positive replies are ignored.
     *
     * @return what was applied, for the lifecycle event's detail; empty when no rule matched
     */
    public synchronized List<AppliedBackoff> afterReplies(String group, Collection<RemoteReply> replies) {
        Instant now = clock.instant();
        List<AppliedBackoff> applied = new ArrayList<>();
        for (RemoteReply reply : replies) {
            Optional<BackoffRule> rule = rules.match(reply);
            if (rule.isEmpty()) {
                continue;
            }
            GroupState s = state(group);
            BackoffAction action = rule.get().action();
            Instant until = now.plus(action.lasting());
            AppliedBackoff a = new AppliedBackoff(group, rule.get(), reply, until);
            if (action instanceof BackoffAction.Suspend) {
                if (s.suspendedUntil == null || until.isAfter(s.suspendedUntil)) {
                    s.suspendedUntil = until;
                    s.suspendedBy = a;
                }
            } else {
                Rate rate = ((BackoffAction.Throttle) action).rate();
                boolean active = s.throttle != null && now.isBefore(s.throttledBy.until());
                if (!active || rate.interval().compareTo(s.throttle.rate().interval()) >= 0) {
                    s.throttle = active && rate.equals(s.throttle.rate()) ? s.throttle : RateBucket.drained(rate, now);
                    s.throttledBy = a;
                }
            }
            applied.add(a);
        }
        return applied;
    }

    /** The suspension or throttle in force for {@code group}, if any: for operators and tests. */
    public synchronized Optional<AppliedBackoff> backoff(String group) {
        Instant now = clock.instant();
        GroupState s = groups.get(group);
        if (s == null) {
            return Optional.empty();
        }
        if (s.suspendedUntil != null && now.isBefore(s.suspendedUntil)) {
            return Optional.of(s.suspendedBy);
        }
        return s.throttle != null && now.isBefore(s.throttledBy.until()) ? Optional.of(s.throttledBy) : Optional.empty();
    }

    private GroupState state(String group) {
        GroupState s = groups.get(group);
        if (s == null) {
            if (groups.size() >= SWEEP_ABOVE) {
                Instant now = clock.instant();
                groups.values().removeIf(g -> g.isRested(now));
            }
            s = new GroupState(config.limitsFor(group));
            groups.put(group, s);
        }
        return s;
    }

    /** One group's counters and buckets; guarded by the shaper's lock. */
    private static final class GroupState {
        final SiteLimits limits;
        final List<RateBucket> messageRates;
        final RateBucket connectionRate;
        int inFlight;
        int idleConnections;
        Instant suspendedUntil;
        AppliedBackoff suspendedBy;
        RateBucket throttle;
        AppliedBackoff throttledBy;

        GroupState(SiteLimits limits) {
            this.limits = limits;
            this.messageRates = limits.messageRates().stream().map(RateBucket::new).toList();
            this.connectionRate = limits.connectionRate().map(RateBucket::new).orElse(null);
        }

        boolean isRested(Instant now) {
            return inFlight == 0 && idleConnections == 0
                    && (suspendedUntil == null || !now.isBefore(suspendedUntil))
                    && (throttle == null || !now.isBefore(throttledBy.until()))
                    && messageRates.stream().allMatch(b -> b.isRested(now))
                    && (connectionRate == null || connectionRate.isRested(now));
        }
    }
}
