package io.postbus.auth.spf;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing text from DNS: a value, or the reason it is not valid. Bad syntax in a
 * published record is an everyday outcome (it yields permerror), so it is a value, not an exception.
 */
sealed interface Parsed<T> {

    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Invalid<T>(String reason) implements Parsed<T> {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The value transformed; a reason passes through unchanged. */
    default <R> Parsed<R> map(Function<? super T, ? extends R> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Invalid<>(((Invalid<T>) this).reason());
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> invalid(String reason) {
        return new Invalid<>(reason);
    }
}
