package io.postbus.core.dns;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of one DNS question. A sealed set, so every caller handles all four cases:
 * <ul>
 *   <li>{@link Answer}: one or more records;</li>
 *   <li>{@link NxDomain}: the name does not exist (RCODE 3);</li>
 *   <li>{@link NoData}: the name exists but has no record of this type;</li>
 *   <li>{@link Failure}: no usable answer (timeout, SERVFAIL, refused, malformed): transient.</li>
 * </ul>
 */
public sealed interface DnsResult<T> {

    /**
     * @param authenticated true only when the answer was DNSSEC-validated by a resolver we trust
     *     (the AD bit from a configured validating resolver, RFC 6840 §5.7), or comes from a zone the
     *     resolver was told counts as signed. DANE (RFC 7672 §2.1) uses nothing else.
     */
    record Answer<T>(T value, boolean authenticated) implements DnsResult<T> {
        public Answer {
            Objects.requireNonNull(value, "value");
        }

        /** An answer no one vouched for: what every resolver gives without DNSSEC. */
        public Answer(T value) {
            this(value, false);
        }
    }

    record NxDomain<T>(String name) implements DnsResult<T> {}

    record NoData<T>(String name) implements DnsResult<T> {}

    /** A failure is always transient: asking again later may succeed. */
    record Failure<T>(String name, Kind kind, String detail) implements DnsResult<T> {
        public enum Kind { TIMEOUT, SERVFAIL, REFUSED, MALFORMED, OTHER }
    }

    static <T> DnsResult<T> answer(T value) {
        return new Answer<>(value);
    }

    /** An answer whose DNSSEC validation the caller trusts (RFC 4033 §3.1 "secure"). */
    static <T> DnsResult<T> authenticatedAnswer(T value) {
        return new Answer<>(value, true);
    }

    /** True for an answer that was DNSSEC-validated; the non-answers say nothing about it. */
    default boolean isAuthenticated() {
        return this instanceof Answer<T> a && a.authenticated();
    }

    /** NXDOMAIN or no data: what RFC 7208 §4.6.4 calls a void lookup. */
    default boolean isVoid() {
        return this instanceof NxDomain || this instanceof NoData;
    }

    default boolean isFailure() {
        return this instanceof Failure;
    }

    /** Transforms an answer's value; the other outcomes pass through unchanged. */
    @SuppressWarnings("unchecked")
    default <R> DnsResult<R> map(Function<? super T, ? extends R> f) {
        if (this instanceof Answer<T> a) {
            return new Answer<>(f.apply(a.value()), a.authenticated());
        }
        return (DnsResult<R>) this;
    }
}
